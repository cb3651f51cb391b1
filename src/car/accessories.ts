/**
 * Small add-on parts: door mirrors and licence plates.
 */
import type { CarLayout } from './car-layout';
import type { GlbPrimitive, Vec3 } from './glb-types';
import { MeshBuilder, mirrorX } from './mesh-builder';

/** EU plate size, metres. */
export const PLATE_WIDTH = 0.52;
export const PLATE_HEIGHT = 0.11;
/** Width of the blue country band at the plate's (viewer's) left. */
const PLATE_BAND = 0.045;
/** Gap between the body under the plate and the plate. */
const PLATE_STANDOFF = 0.004;

/** Materials the accessories need. */
export interface AccessoryMaterials {
  readonly paint: number;
  readonly glass: number;
  readonly plate: number;
  readonly plateBand: number;
}

/**
 * Door mirror on the given side: a housing tapering from a stub hidden in
 * the side glass out to about 0.11 m beyond the body side, its mirror glass
 * facing backwards.
 */
export function buildMirror(
  L: CarLayout,
  m: AccessoryMaterials,
  side: 'left' | 'right',
): GlbPrimitive[] {
  const z = L.doorFrontZ - 0.1;
  const y = L.deck.at(z) - L.crown;
  const xIn = L.params.width / 2 - 0.15;
  const xOut = L.params.width / 2 + 0.11;
  const c: Vec3[] = [];
  for (let bz = 0; bz < 2; bz++) {
    for (let by = 0; by < 2; by++) {
      for (let bx = 0; bx < 2; bx++) {
        const outer = bx === 1;
        const yy = y + (by ? (outer ? 0.17 : 0.12) : outer ? 0.05 : 0.07);
        const zz = z + (bz ? (outer ? 0.05 : 0.03) : outer ? -0.035 : -0.02);
        c.push([outer ? xOut : xIn, yy, zz]);
      }
    }
  }
  const housing = new MeshBuilder();
  housing.box(c, ['-z']);
  const glass = new MeshBuilder();
  // The rear face (corners 0, 1, 3, 2 at bz = 0) carries the mirror glass.
  glass.quad(c[1], c[0], c[2], c[3]);
  const prims = [housing.toPrimitive(m.paint), glass.toPrimitive(m.glass)];
  return side === 'left' ? prims : prims.map(mirrorX);
}

/** The rectangle (x, y) a plate covers on the nose or tail, metres. */
export function plateRect(
  L: CarLayout,
  end: 'front' | 'rear',
): { x0: number; x1: number; y0: number; y1: number } {
  const y = end === 'front'
    ? L.params.frontPlateHeight
    : L.params.rearPlateHeight;
  return {
    x0: -PLATE_WIDTH / 2,
    x1: PLATE_WIDTH / 2,
    y0: y - PLATE_HEIGHT / 2,
    y1: y + PLATE_HEIGHT / 2,
  };
}

/**
 * Licence plate standing on the bumper, facing forwards (front) or
 * backwards (rear). `faceZ` is the body's extreme z under the plate (see
 * `faceExtremeZ`); the plate stands a few millimetres proud of it.
 */
export function buildPlate(
  L: CarLayout,
  m: AccessoryMaterials,
  end: 'front' | 'rear',
  faceZ: number,
): GlbPrimitive[] {
  const front = end === 'front';
  const z = front ? faceZ + PLATE_STANDOFF : faceZ - PLATE_STANDOFF;
  const { y0, y1 } = plateRect(L, end);
  const w = PLATE_WIDTH / 2;
  // Seen from in front of the plate, the band is on the viewer's left:
  // -x at the front, +x at the rear.
  const band = (front ? -1 : 1) * (w - PLATE_BAND);
  const white = new MeshBuilder();
  const blue = new MeshBuilder();
  const add = (mb: MeshBuilder, xa: number, xb: number): void => {
    const lo = Math.min(xa, xb);
    const hi = Math.max(xa, xb);
    if (front) mb.quad([lo, y0, z], [hi, y0, z], [hi, y1, z], [lo, y1, z]);
    else mb.quad([hi, y0, z], [lo, y0, z], [lo, y1, z], [hi, y1, z]);
  };
  add(white, band, front ? w : -w);
  add(blue, front ? -w : w, band);
  return [
    white.toPrimitive(m.plate, true),
    blue.toPrimitive(m.plateBand, true),
  ];
}
