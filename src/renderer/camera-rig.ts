/**
 * Places the camera around the normalised car. Azimuth 0 looks at the
 * car's front, 90 at its left side, 180 at its rear; elevation is above the
 * horizon. Focal lengths are 35 mm-equivalent, on the 43.27 mm diagonal.
 */
import { Matrix, UniversalCamera, Vector3, type Scene } from '@babylonjs/core';
import type { CameraPose, CameraRequest } from '../protocol';

const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);
const DEG = Math.PI / 180;

/** Vertical field of view for a 35 mm-equivalent focal length and image size. */
export function verticalFov(focalLengthMm: number, width: number, height: number): number {
  const diagonalFov = 2 * Math.atan(FULL_FRAME_DIAGONAL_MM / (2 * focalLengthMm));
  const halfDiagonal = Math.tan(diagonalFov / 2);
  return 2 * Math.atan((halfDiagonal * height) / Math.hypot(width, height));
}

/** Unit vector from the origin towards azimuth/elevation in the car frame. */
export function directionFrom(azimuthDeg: number, elevationDeg: number): Vector3 {
  const az = azimuthDeg * DEG;
  const el = elevationDeg * DEG;
  return new Vector3(-Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el));
}

export function placeCamera(
  camera: UniversalCamera,
  request: CameraRequest,
  width: number,
  height: number,
  carMin: Vector3,
  carMax: Vector3,
): CameraPose {
  const fovY = verticalFov(request.focalLengthMm, width, height);
  if (request.horizon !== null && request.heightM !== null) {
    return aimAtHorizon(camera, request.azimuthDeg, request.heightM, request.horizon, request.fill, fovY, width, height, carMin, carMax);
  }
  const targetY = request.targetHeightM ?? (carMin.y + carMax.y) * 0.45;
  const target = new Vector3(0, targetY, 0);
  let direction = directionFrom(request.azimuthDeg, request.elevationDeg);
  let distance = request.distanceM ?? fitDistance(target, direction, fovY, width, height, carMin, carMax, request.fill);
  if (request.heightM !== null) {
    // The elevation that puts the camera at this height; the fitted distance
    // changes a little with the elevation, so settle the two together.
    for (let i = 0; i < 6; i++) {
      const sine = Math.min(0.99, Math.max(-0.99, (request.heightM - targetY) / distance));
      direction = directionFrom(request.azimuthDeg, Math.asin(sine) / DEG);
      distance = request.distanceM ?? fitDistance(target, direction, fovY, width, height, carMin, carMax, request.fill);
    }
  }
  const position = target.add(direction.scale(distance));
  return aim(camera, fovY, position, target, request.rollDeg);
}

/**
 * A camera level with a backplate's: at `heightM`, turned towards the car,
 * pitched so the horizon falls on row `horizon` (share of the height from
 * the top), and as close as lets the car's box span `fill` of the frame
 * where it sits (the car lies below the horizon, not at the centre).
 */
function aimAtHorizon(
  camera: UniversalCamera,
  azimuthDeg: number,
  heightM: number,
  horizon: number,
  fill: number,
  fovY: number,
  width: number,
  height: number,
  carMin: Vector3,
  carMax: Vector3,
): CameraPose {
  const pitch = Math.atan((0.5 - horizon) * 2 * Math.tan(fovY / 2));
  const away = directionFrom(azimuthDeg, 0);
  const forward = away.scale(-Math.cos(pitch)).add(new Vector3(0, -Math.sin(pitch), 0));
  const eyeLevel = new Vector3(0, heightM, 0);
  const position = eyeLevel.add(away.scale(fitAlong(eyeLevel, away, forward, fovY, width, height, carMin, carMax, fill)));
  return aim(camera, fovY, position, position.add(forward), 0);
}

function aim(camera: UniversalCamera, fovY: number, position: Vector3, target: Vector3, rollDeg: number): CameraPose {
  camera.fov = fovY;
  camera.fovMode = UniversalCamera.FOVMODE_VERTICAL_FIXED;
  camera.minZ = 0.05;
  camera.maxZ = 500;
  camera.position.copyFrom(position);
  const forward = target.subtract(position).normalize();
  const up = rollUp(forward, rollDeg);
  camera.upVector.copyFrom(up);
  camera.setTarget(target);
  // Recompute now: damage placement projects through this camera before the
  // frame that would otherwise refresh its matrices.
  const view = camera.getViewMatrix(true);
  camera.getProjectionMatrix(true);
  return {
    position: position.asArray() as [number, number, number],
    target: target.asArray() as [number, number, number],
    up: up.asArray() as [number, number, number],
    fovY,
    view: Array.from(view.asArray()),
  };
}

/**
 * A close-up of one damage, as an inspection photo frames it: the camera
 * looks at `centre` from `distance` metres, from between where it stood and
 * square-on to the surface, and stays above the ground. Focal length and
 * roll are those of the request.
 */
export function frameCloseUp(
  camera: UniversalCamera,
  request: CameraRequest,
  width: number,
  height: number,
  centre: Vector3,
  normal: Vector3,
  distance: number,
): CameraPose {
  const toCamera = camera.position.subtract(centre).normalize();
  const direction = toCamera.add(normal).normalize();
  const position = centre.add(direction.scale(distance));
  position.y = Math.max(position.y, 0.25);
  return aim(camera, verticalFov(request.focalLengthMm, width, height), position, centre, request.rollDeg);
}

/**
 * Distance at which the car's bounding box, seen from `direction`, spans
 * `fill` of the frame in its tighter dimension (1 = touching the edges).
 */
export function fitDistance(
  target: Vector3,
  direction: Vector3,
  fovY: number,
  width: number,
  height: number,
  min: Vector3,
  max: Vector3,
  fill: number,
): number {
  return fitAlong(target, direction, direction.scale(-1), fovY, width, height, min, max, fill);
}

/**
 * The least d for which a camera at `origin + step * d`, looking along
 * `forward` (up stays up), sees the box `min`-`max` span at most `fill` of
 * the frame in either dimension.
 */
function fitAlong(
  origin: Vector3,
  step: Vector3,
  forward: Vector3,
  fovY: number,
  width: number,
  height: number,
  min: Vector3,
  max: Vector3,
  fill: number,
): number {
  const right = Vector3.Cross(Vector3.Up(), forward).normalize();
  const up = Vector3.Cross(forward, right);
  const tanY = Math.tan(fovY / 2);
  const tanX = tanY * (width / height);
  const corners: Vector3[] = [];
  for (const x of [min.x, max.x]) for (const y of [min.y, max.y]) for (const z of [min.z, max.z]) corners.push(new Vector3(x, y, z));
  const extent = (d: number) => {
    const eye = origin.add(step.scale(d));
    let most = 0;
    for (const c of corners) {
      const v = c.subtract(eye);
      const depth = Vector3.Dot(v, forward);
      if (depth <= 0.01) return Infinity;
      most = Math.max(most, Math.abs(Vector3.Dot(v, right)) / (depth * tanX), Math.abs(Vector3.Dot(v, up)) / (depth * tanY));
    }
    return most;
  };
  let near = 0.05;
  let far = 500;
  for (let i = 0; i < 60; i++) {
    const mid = (near + far) / 2;
    if (extent(mid) > fill) near = mid;
    else far = mid;
  }
  return far;
}

function rollUp(forward: Vector3, rollDeg: number): Vector3 {
  const up = Vector3.Up();
  if (rollDeg === 0) return up;
  const rotation = Matrix.RotationAxis(forward, rollDeg * DEG);
  return Vector3.TransformNormal(up, rotation).normalize();
}
