/**
 * Door handles: a body-coloured pull handle near the rear edge of each
 * door, a hand's width below the shoulder line, over a dark finger recess.
 * Both are extra primitives of their door's node, so they are labelled,
 * painted and damaged as part of the door.
 */
import type { CarLayout } from './car-layout';
import { SEGMENTS, halfSection } from './body-section';
import type { GlbPrimitive, Vec3 } from './glb-types';
import { MeshBuilder, mirrorX, v3 } from './mesh-builder';

/** Handle size, metres: length, height, and how far it stands out. */
const HANDLE_LENGTH = 0.17;
const HANDLE_HEIGHT = 0.028;
const HANDLE_PROUD = 0.008;
/** Centre of the handle ahead of the door's rear edge, metres. */
const FROM_REAR_EDGE = 0.17;
/** Below the shoulder line (top of the body side). */
const BELOW_SHOULDER = 0.07;
/** The finger recess behind the handle, larger than it by this on each side. */
const RECESS_MARGIN = 0.012;
const LIFT = 0.001;

/** Materials a handle uses. */
export interface HandleMaterials {
  readonly paint: number;
  readonly recess: number;
}

/** First and last point index of a named segment in `halfSection`. */
function segmentPoints(id: string): [number, number] {
  let start = 0;
  for (const s of SEGMENTS) {
    if (s.id === id) return [start, start + s.quads];
    start += s.quads;
  }
  throw new Error(`unknown segment ${id}`);
}

/**
 * The left body side at (z, height below the shoulder): the point and the
 * outward unit normal of the section there.
 */
function sidePoint(
  L: CarLayout,
  z: number,
  below: number,
): { p: Vec3; n: Vec3 } {
  const half = halfSection(L, z);
  const [a, b] = segmentPoints('upperSide');
  const [c] = segmentPoints('lowerSide');
  const y = half[b][1] - below;
  // Walk up the lower and upper side (y increasing) to the span holding y.
  for (let k = c; k < b; k++) {
    const [x0, y0] = half[k];
    const [x1, y1] = half[k + 1];
    if (y < y0 || y > y1 || y1 <= y0) continue;
    const t = (y - y0) / (y1 - y0);
    const n = v3.normalize([y1 - y0, -(x1 - x0), 0]);
    return { p: [x0 + t * (x1 - x0), y, z], n };
  }
  // Outside the side's range (a very low body): the top of the upper side.
  const [x, yTop] = half[a];
  return { p: [x, yTop, z], n: [1, 0, 0] };
}

/**
 * The handle of the door whose rear edge is at `rearEdgeZ`, on the given
 * side: the handle (paint) and its recess (dark), as primitives.
 */
export function buildDoorHandle(
  L: CarLayout,
  rearEdgeZ: number,
  side: 'left' | 'right',
  m: HandleMaterials,
): GlbPrimitive[] {
  const zc = rearEdgeZ + FROM_REAR_EDGE;
  const { p, n } = sidePoint(L, zc, BELOW_SHOULDER);
  const up = v3.normalize(v3.cross([0, 0, 1], n));
  // Most handles sit on the widest line, so this one stands out of the
  // body's width by its own depth (a mirror stands out by much more).
  const proud = HANDLE_PROUD;
  const at = (dz: number, dy: number, out: number): Vec3 =>
    v3.add(v3.add(p, [0, 0, dz]), v3.add(v3.scale(up, dy), v3.scale(n, out)));

  const c: Vec3[] = [];
  for (let bz = 0; bz < 2; bz++) {
    for (let by = 0; by < 2; by++) {
      for (let bx = 0; bx < 2; bx++) {
        // The outer face is a little smaller: the handle's edges are rounded.
        const outer = bx === 1;
        const hl = HANDLE_LENGTH / 2 - (outer ? 0.01 : 0);
        const hh = HANDLE_HEIGHT / 2 - (outer ? 0.004 : 0);
        c.push(at(bz ? hl : -hl, by ? hh : -hh, outer ? proud : -0.002));
      }
    }
  }
  const handle = new MeshBuilder();
  handle.box(c, ['-x']);

  const recess = new MeshBuilder();
  const rl = HANDLE_LENGTH / 2 - 0.02;
  const rh = HANDLE_HEIGHT / 2 + RECESS_MARGIN;
  recess.quad(
    at(rl, -rh, LIFT),
    at(-rl, -rh, LIFT),
    at(-rl, rh, LIFT),
    at(rl, rh, LIFT),
  );

  const prims = [handle.toPrimitive(m.paint), recess.toPrimitive(m.recess)];
  return side === 'left' ? prims : prims.map(mirrorX);
}
