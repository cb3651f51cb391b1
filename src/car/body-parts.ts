/**
 * Cuts the lofted body into named panels. Each quad is assigned from its
 * station range (where along the car, how far into a nose/tail cap) and
 * its perimeter segment (how far round the section), so every panel edge
 * follows a grid line.
 */
import type { CarLayout } from './car-layout';
import { quadCorners, type BodyGrid } from './body-loft';
import { HALF_QUADS, SEGMENT_OF_QUAD, type SegmentId } from './body-section';
import { MeshBuilder } from './mesh-builder';

/** The car's own left (+x) or right (-x). */
export type Side = 'left' | 'right';

const UNDER: ReadonlySet<SegmentId> = new Set([
  'floor', 'wellWall', 'wellRoof',
]);
const FLANK: ReadonlySet<SegmentId> = new Set([
  'sill', 'lowerSide', 'upperSide', 'shoulder',
]);
const LAMP: ReadonlySet<SegmentId> = new Set([
  'shoulder', 'deck', 'greenhouse', 'roofEdge', 'roofOuter',
]);

/** Cap thresholds on the section scale s (1 = cap start, 0 = pole). */
const CAP_LID = 0.95; // above: still bonnet / boot lid / wing top
const CAP_LAMP = 0.3; // lamps between this and CAP_LID
const CAP_GRILLE = 0.15; // grille between this and CAP_GRILLE_TOP
const CAP_GRILLE_TOP = 0.9;
const CAP_FLOOR = 0.85; // underbody turns into bumper below this
const CAP_INTAKE = 0.6; // lower air intake between this and CAP_FLOOR
const CAP_QUARTER = 0.8; // rear wing wraps round the tail down to this

function frontCapPart(seg: SegmentId, s: number, side: Side): string {
  const bumper = 'front_bumper';
  if (seg === 'floor' && s >= CAP_INTAKE && s < CAP_FLOOR) return 'grille';
  if (UNDER.has(seg)) return s >= CAP_FLOOR ? 'underbody' : bumper;
  if (seg === 'sill' || seg === 'lowerSide') return bumper;
  if (seg === 'upperSide') {
    return s >= CAP_LID ? `fender_front_${side}` : bumper;
  }
  if (LAMP.has(seg)) {
    if (s >= CAP_LID) {
      return seg === 'shoulder' ? `fender_front_${side}` : 'hood';
    }
    return s >= CAP_LAMP ? `headlamp_${side}` : bumper;
  }
  if (s >= CAP_LID) return 'hood';
  return s >= CAP_GRILLE && s < CAP_GRILLE_TOP ? 'grille' : bumper;
}

/**
 * The tail face: lamps in the upper corners, the boot lid or tailgate
 * over the rest of the upper face plus a central tongue down to the ring
 * `lidSplit` round the pole (the plate recess), the bumper below.
 */
function rearCapPart(
  seg: SegmentId,
  s: number,
  side: Side,
  lid: string,
  lidSplit: number,
): string {
  const bumper = 'rear_bumper';
  if (UNDER.has(seg) && s >= CAP_FLOOR) return 'underbody';
  if (UNDER.has(seg) || seg === 'sill') return s < lidSplit ? lid : bumper;
  if (seg === 'lowerSide' || seg === 'upperSide') {
    return s >= CAP_QUARTER ? `fender_rear_${side}` : lid;
  }
  if (LAMP.has(seg)) {
    if (s >= CAP_LID) return seg === 'shoulder' ? `fender_rear_${side}` : lid;
    if (s >= CAP_LAMP) return `taillamp_${side}`;
  }
  return lid;
}

/**
 * Panel name of the quad whose stations have mean position z and mean
 * cap scale s, on perimeter segment seg of the given side.
 */
export function classifyQuad(
  L: CarLayout,
  seg: SegmentId,
  side: Side,
  z: number,
  s: number,
): string {
  const sedan = L.params.bodyStyle === 'sedan';
  const lid = sedan ? 'trunk' : 'tailgate';
  if (s < 1) {
    if (z > 0) return frontCapPart(seg, s, side);
    // A tailgate reaches further down the tail than a boot lid.
    return rearCapPart(seg, s, side, lid, sedan ? 0 : 0.4);
  }
  if (UNDER.has(seg)) return 'underbody';
  const low = seg === 'sill' || seg === 'lowerSide';
  if (low && z > L.frontBumperZ) return 'front_bumper';
  if (seg === 'sill' && z < L.rearBumperZ) return 'rear_bumper';
  const flank = FLANK.has(seg);
  if (z > L.cowlZ) return flank ? `fender_front_${side}` : 'hood';
  if (z < L.rearWindowBaseZ) return flank ? `fender_rear_${side}` : lid;
  if (flank || seg === 'deck') {
    if (z > L.doorFrontZ) return `fender_front_${side}`;
    if (z > L.doorSplitZ) return `door_front_${side}`;
    if (z > L.doorRearZ) return `door_rear_${side}`;
    return `fender_rear_${side}`;
  }
  const glass = seg === 'greenhouse';
  const edge = seg === 'roofEdge';
  if (z > L.roofFrontZ) {
    if (edge) return `pillar_a_${side}`;
    if (!glass) return 'windshield';
    return z > L.doorFrontZ ? `pillar_a_${side}` : `window_front_${side}`;
  }
  if (z < L.roofRearZ) {
    if (edge) return `pillar_c_${side}`;
    if (!glass) return 'rear_window';
    return z > L.doorRearZ ? `window_rear_${side}` : `pillar_c_${side}`;
  }
  if (!glass) return 'roof';
  if (Math.abs(z - L.doorSplitZ) < L.pillarBHalfWidth) {
    return `pillar_b_${side}`;
  }
  if (z > L.doorSplitZ) return `window_front_${side}`;
  if (z > L.doorRearZ) return `window_rear_${side}`;
  return L.params.bodyStyle === 'sedan'
    ? `pillar_c_${side}`
    : `window_quarter_${side}`;
}

/** One body panel's triangles, in car coordinates. */
export interface BodyPart {
  readonly name: string;
  readonly mesh: MeshBuilder;
}

/** Twice the area of triangle (a, b, c) of a position array. */
function triangleArea2(
  p: Float64Array,
  a: number,
  b: number,
  c: number,
): number {
  const ux = p[b * 3] - p[a * 3];
  const uy = p[b * 3 + 1] - p[a * 3 + 1];
  const uz = p[b * 3 + 2] - p[a * 3 + 2];
  const vx = p[c * 3] - p[a * 3];
  const vy = p[c * 3 + 1] - p[a * 3 + 1];
  const vz = p[c * 3 + 2] - p[a * 3 + 2];
  return Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
}

/** Panel name of each grid quad q (row-major): `names[quadPart[q]]`. */
export interface QuadNames {
  readonly names: readonly string[];
  readonly quadPart: Int32Array;
}

/** Names every quad of the grid, names in first-seen order. */
export function nameQuads(L: CarLayout, grid: BodyGrid): QuadNames {
  const { cols, stations } = grid;
  const K = HALF_QUADS;
  const rows = stations.length;
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const quadPart = new Int32Array((rows - 1) * (cols - 1));
  for (let i = 0; i + 1 < rows; i++) {
    const z = (stations[i].z + stations[i + 1].z) / 2;
    const s = (stations[i].s + stations[i + 1].s) / 2;
    for (let j = 0; j + 1 < cols; j++) {
      const left = j < K;
      const seg = SEGMENT_OF_QUAD[left ? j : 2 * K - 1 - j];
      const name = classifyQuad(L, seg, left ? 'left' : 'right', z, s);
      let k = nameIndex.get(name);
      if (k === undefined) {
        k = names.push(name) - 1;
        nameIndex.set(name, k);
      }
      quadPart[i * (cols - 1) + j] = k;
    }
  }
  return { names, quadPart };
}

/**
 * Splits the grid into panels, in first-seen order (rear to front, bottom
 * to top), dropping zero-area triangles of collapsed segments and poles.
 */
export function splitBody(L: CarLayout, grid: BodyGrid): BodyPart[] {
  const { positions: P, normals: N, uvs: U, cols, stations } = grid;
  const rows = stations.length;
  const { names, quadPart } = nameQuads(L, grid);
  // Pass 2: one mesh per name. `stamp` marks grid points already copied
  // into the current part, `local` holds their index there.
  const stamp = new Int32Array(rows * cols).fill(-1);
  const local = new Int32Array(rows * cols);
  const parts: BodyPart[] = [];
  names.forEach((name, k) => {
    const mesh = new MeshBuilder();
    const vertexOf = (g: number): number => {
      if (stamp[g] !== k) {
        stamp[g] = k;
        local[g] = mesh.vertex(
          [P[g * 3], P[g * 3 + 1], P[g * 3 + 2]],
          [N[g * 3], N[g * 3 + 1], N[g * 3 + 2]],
          [U[g * 2], U[g * 2 + 1]],
        );
      }
      return local[g];
    };
    const tri = (a: number, b: number, c: number): void => {
      if (triangleArea2(P, a, b, c) < 1e-10) return;
      mesh.triangle(vertexOf(a), vertexOf(b), vertexOf(c));
    };
    for (let q = 0; q < quadPart.length; q++) {
      if (quadPart[q] !== k) continue;
      const i = Math.floor(q / (cols - 1));
      const [a, b, c, d] = quadCorners(i, q - i * (cols - 1), cols);
      tri(a, b, c);
      tri(b, d, c);
    }
    if (mesh.triangleCount > 0) parts.push({ name, mesh });
  });
  return parts;
}
