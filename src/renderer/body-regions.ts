/**
 * Panel names for a damage on a body that is one mesh (most third-party
 * cars): read from where it sits in the normalised car, front towards +z,
 * left towards -x, and which way the surface faces. The project's own cars
 * name their panels by construction and never come here.
 */
import type { Vector3 } from '@babylonjs/core';

export function bodyRegion(position: Vector3, normal: Vector3, min: Vector3, max: Vector3): string {
  const along = (position.z - min.z) / (max.z - min.z); // 0 rear, 1 front
  const up = (position.y - min.y) / (max.y - min.y);
  const side = position.x < 0 ? 'left' : 'right';
  const facesUp = normal.y > 0.55;
  const facesSide = Math.abs(normal.x) > 0.5;

  if (along > 0.9 && up < 0.5 && !facesUp) return 'front_bumper';
  if (along < 0.1 && up < 0.5 && !facesUp) return 'rear_bumper';
  if (facesUp && up > 0.75) return 'roof';
  if (facesUp && along > 0.6) return 'hood';
  if (facesUp && along < 0.3) return 'trunk';
  if (facesSide || (!facesUp && along >= 0.1 && along <= 0.9)) {
    if (along > 0.72) return `fender_front_${side}`;
    if (along < 0.28) return `fender_rear_${side}`;
    if (up > 0.62) return `pillar_${side}`;
    return `door_${along > 0.5 ? 'front' : 'rear'}_${side}`;
  }
  return along > 0.5 ? 'front_bumper' : 'rear_bumper';
}
