/**
 * Where on screen a stroke (scratch or crack) can possibly draw. A stroke
 * is drawn at least 0.6 pixel footprints wide (`fwidth` of the world
 * position), and on a triangle seen nearly edge-on a footprint is long, so
 * such a triangle can take a stray label far from the stroke. No box round
 * the stroke bounds that; the triangles themselves do. A triangle can carry
 * a label of the stroke only if
 *   - it meets the slab the label test allows: within 3 cm of the stroke's
 *     plane, measured along its normal from the nearest point of a segment;
 *   - it comes within reach of a segment: the larger of the half width and
 *     0.6 footprints, a footprint being bounded from the triangle's distance
 *     and slant (unbounded when a sample ray next to it may run parallel).
 * Every fragment lies in its triangle's projection, so the rectangle round
 * the projections of those triangles holds every sample the stroke labels.
 */
import { VertexBuffer, type AbstractMesh, type Matrix, type Vector3 } from '@babylonjs/core';
import type { PixelRect } from '../protocol';
import { ProjectedBounds } from './damage-bounds';
import { DAMAGE_TYPE_CRACK, DAMAGE_TYPE_SCRATCH, type DamageEntry } from './damage-field';

/** Off-surface reach of a stroke in the label test (metres). */
const STROKE_DEPTH_M = 0.03;

/** Slack for float32 positions on the GPU (metres). */
const SLACK_M = 1e-4;

/** World positions of a mesh's triangles, 9 numbers each, as the ID pass draws them (no deformation). */
const trianglesOf = new WeakMap<AbstractMesh, { updateFlag: number; positions: Float64Array }>();

function worldTriangles(mesh: AbstractMesh): Float64Array {
  const world = mesh.getWorldMatrix();
  const cached = trianglesOf.get(mesh);
  if (cached && cached.updateFlag === world.updateFlag) return cached.positions;
  const positions = mesh.getVerticesData(VertexBuffer.PositionKind) ?? [];
  const indices = mesh.getIndices() ?? [];
  const m = world.m;
  const out = new Float64Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    const v = 3 * indices[i];
    const [x, y, z] = [positions[v], positions[v + 1], positions[v + 2]];
    const w = x * m[3] + y * m[7] + z * m[11] + m[15];
    out[3 * i] = (x * m[0] + y * m[4] + z * m[8] + m[12]) / w;
    out[3 * i + 1] = (x * m[1] + y * m[5] + z * m[9] + m[13]) / w;
    out[3 * i + 2] = (x * m[2] + y * m[6] + z * m[10] + m[14]) / w;
  }
  trianglesOf.set(mesh, { updateFlag: world.updateFlag, positions: out });
  return out;
}

/** Whether `entry` is a stroke, bounded here rather than by damage-bounds. */
export function isStroke(entry: DamageEntry): boolean {
  return entry.type === DAMAGE_TYPE_SCRATCH || entry.type === DAMAGE_TYPE_CRACK;
}

/** Distance from point p to the segment a-b. */
function segmentDistance(p: number[], a: number[], b: number[]): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const length2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
  const t = length2 > 0 ? Math.min(1, Math.max(0, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / length2)) : 0;
  return Math.hypot(ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2]);
}

/**
 * The output pixels stroke `instance` can cover on `meshes`, drawn by a
 * camera at `eye` with `viewProjection` into width x height pixels of
 * `supersample` squared samples: rows bottom-up, padded by one pixel all
 * round like damageRect's. Null when a triangle that may carry it reaches
 * behind the camera. Empty (width 0) when no triangle can.
 */
export function strokeRect(
  entries: readonly DamageEntry[],
  instance: number,
  meshes: readonly AbstractMesh[],
  eye: Vector3,
  viewProjection: Matrix,
  width: number,
  height: number,
  supersample: number,
): PixelRect | null {
  const segments = entries.filter((e) => e.instance === instance && isStroke(e));
  const m = viewProjection.m;
  const sampledWidth = width * supersample;
  const sampledHeight = height * supersample;
  // The widest angle between neighbouring sample rays, at the image centre.
  const step = Math.max(2 / (sampledWidth * Math.hypot(m[0], m[4], m[8])), 2 / (sampledHeight * Math.hypot(m[1], m[5], m[9])));
  const e = [eye.x, eye.y, eye.z];
  // Per segment: the slab the label test allows along its normal, and its reach off the surface.
  const slabs = segments.map((s) => {
    const ab = [s.b[0] - s.a[0], s.b[1] - s.a[1], s.b[2] - s.a[2]];
    const n = s.normal;
    return { s, half: STROKE_DEPTH_M + Math.abs(ab[0] * n[0] + ab[1] * n[1] + ab[2] * n[2]) + SLACK_M, offset: s.a[0] * n[0] + s.a[1] * n[1] + s.a[2] * n[2] };
  });

  const bounds = new ProjectedBounds(viewProjection, width, height, supersample);
  const v = [0, 0, 0].map(() => [0, 0, 0]);
  for (const mesh of meshes) {
    const triangles = worldTriangles(mesh);
    for (let t = 0; t < triangles.length; t += 9) {
      let carrying = false;
      for (const { s, half, offset } of slabs) {
        const [nx, ny, nz] = s.normal;
        const h0 = triangles[t] * nx + triangles[t + 1] * ny + triangles[t + 2] * nz - offset;
        const h1 = triangles[t + 3] * nx + triangles[t + 4] * ny + triangles[t + 5] * nz - offset;
        const h2 = triangles[t + 6] * nx + triangles[t + 7] * ny + triangles[t + 8] * nz - offset;
        if ((h0 > half && h1 > half && h2 > half) || (h0 < -half && h1 < -half && h2 < -half)) continue;
        for (let k = 0; k < 3; k++) for (let i = 0; i < 3; i++) v[k][i] = triangles[t + 3 * k + i];
        if (withinReach(v, s, e, step)) {
          carrying = true;
          break;
        }
      }
      if (!carrying) continue;
      for (const p of v) if (!bounds.add(p)) return null;
    }
  }
  return bounds.rect();
}

/**
 * Whether triangle `v` may hold a point the segment labels: one within the
 * larger of its half width and 0.6 footprints of it (and 3 cm off it). On
 * the triangle's plane, at distance d from the eye, the positions of
 * neighbouring samples whose rays make cosine c or more with the plane's
 * normal differ by at most 2 d step / c^2, and fwidth adds two such steps.
 * Helper samples of a quad lie up to two samples outside the triangle, so c
 * is taken that far past the triangle's own rays.
 */
function withinReach(v: number[][], s: DamageEntry, eye: number[], step: number): boolean {
  const u = [v[1][0] - v[0][0], v[1][1] - v[0][1], v[1][2] - v[0][2]];
  const w = [v[2][0] - v[0][0], v[2][1] - v[0][1], v[2][2] - v[0][2]];
  const normal = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
  const area2 = Math.hypot(...normal);
  if (!(area2 > 0)) return false;
  const distances = v.map((p) => Math.hypot(p[0] - eye[0], p[1] - eye[1], p[2] - eye[2]));
  const planeDistance = Math.abs(normal[0] * (v[0][0] - eye[0]) + normal[1] * (v[0][1] - eye[1]) + normal[2] * (v[0][2] - eye[2])) / area2;
  const cosine = planeDistance / Math.max(...distances) - 3 * step;
  const footprint = cosine > 0 ? (4 * planeDistance * step) / (cosine * cosine) : Infinity;
  const reach = Math.hypot(Math.max(s.aw, 0.6 * footprint), STROKE_DEPTH_M) + SLACK_M;
  if (!Number.isFinite(reach)) return true;
  // The triangle lies within its circumscribing radius of its centroid.
  const centre = [0, 1, 2].map((i) => (v[0][i] + v[1][i] + v[2][i]) / 3);
  const radius = Math.max(...v.map((p) => Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2])));
  return segmentDistance(centre, s.a, s.b) - radius <= reach;
}
