/**
 * The camera of an image as a user needs it to project points: pinhole
 * intrinsics in pixels and the pose, with the axis convention named.
 */
import type { CameraPose, CameraRequest } from '../protocol';

export function cameraRecord(pose: CameraPose, request: CameraRequest, width: number, height: number) {
  const fy = height / 2 / Math.tan(pose.fovY / 2);
  const r = (v: number) => Number(v.toFixed(6));
  return {
    convention:
      'world: left-handed, +y up, car front towards +z, car left towards -x, ground at y=0, metres; camera: [x y z 1] = [X Y Z 1] * world_to_camera_row_vector (row-major), looking along +z with +y up and +x right (Babylon.js); pixel u = cx + fx*x/z, v = cy - fy*y/z, with pixel centres at integer + 0.5',
    intrinsics: { fx: r(fy), fy: r(fy), cx: width / 2, cy: height / 2, width, height },
    K: [
      [r(fy), 0, width / 2],
      [0, r(fy), height / 2],
      [0, 0, 1],
    ],
    fov_y_deg: r((pose.fovY * 180) / Math.PI),
    focal_length_35mm: r(request.focalLengthMm),
    position: pose.position.map(r),
    target: pose.target.map(r),
    up: pose.up.map(r),
    /** Row-major 4x4; Babylon multiplies row vectors: p_cam = p_world * M. */
    world_to_camera_row_vector: pose.view.map(r),
    // For a close-up these are where the camera stood before it turned to the damage.
    azimuth_deg: r(request.azimuthDeg),
    elevation_deg: r(request.elevationDeg),
    frame: request.closeUpM === null ? 'car' : 'damage',
    ...(request.closeUpM === null ? {} : { close_up_distance_m: r(request.closeUpM) }),
    ...(request.heightM === null ? {} : { height_m: r(request.heightM) }),
  };
}
