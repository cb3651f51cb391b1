/**
 * Where on screen a damage can possibly draw: a rectangle of output pixels
 * that holds every fragment the damage field (damage-field.ts) could label
 * as one damage instance. The unoccluded pass draws and reads back only this
 * rectangle, so its cost follows the damage's size, not the image's.
 *
 * Each entry's label test bounds the labelled points in world space: a dent
 * within its (elongated) bowl and half its radius off the surface, a shatter
 * or broken lamp within its disc and a quarter radius off the glass, a flat
 * tyre inside the box its bulge test allows (tested on the deformed
 * position, so the bulge is inside it). The test runs on each fragment's
 * interpolated position, which the camera sees at the fragment's sample
 * centre; so a box around that region, when wholly in front of the camera,
 * projects to a convex polygon, inside the hull of its projected corners,
 * that holds every sample the damage labels. A stroke labels points within
 * its widest half width (see capStrokeWidths) of its line in the surface
 * and within STROKE_REACH_M off it.
 */
import type { Matrix } from '@babylonjs/core';
import type { PixelRect } from '../protocol';
import {
  DAMAGE_TYPE_CRACK,
  DAMAGE_TYPE_DENT,
  DAMAGE_TYPE_SCRATCH,
  DAMAGE_TYPE_GLASS_SHATTER,
  DAMAGE_TYPE_LAMP_BROKEN,
  DAMAGE_TYPE_TIRE_FLAT,
  STROKE_REACH_M,
  type DamageEntry,
} from './damage-field';

type Vec = [number, number, number];

/** Corners of the box centred on `c` with half extents `h` along the unit axes `u`, `v`, `n`. */
function boxCorners(c: Vec, axes: [Vec, Vec, Vec], h: Vec): Vec[] {
  const corners: Vec[] = [];
  for (const a of [-1, 1]) {
    for (const b of [-1, 1]) {
      for (const d of [-1, 1]) {
        corners.push([0, 1, 2].map((i) => c[i] + a * h[0] * axes[0][i] + b * h[1] * axes[1][i] + d * h[2] * axes[2][i]) as Vec);
      }
    }
  }
  return corners;
}

const WORLD_AXES: [Vec, Vec, Vec] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

function normalized(v: Vec): Vec {
  const length = Math.hypot(...v);
  return length > 0 ? [v[0] / length, v[1] / length, v[2] / length] : [0, 0, 0];
}

function cross(a: Vec, b: Vec): Vec {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Two unit vectors that with unit `n` make an orthonormal basis. */
function tangentsOf(n: Vec): [Vec, Vec] {
  const u = normalized(cross(n, Math.abs(n[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0]));
  return [u, cross(n, u)];
}

/** Slack for float32 positions on the GPU (metres). */
const SLACK_M = 1e-4;

/**
 * The world-space box corners of one entry's label region; null for a
 * stroke whose widest half width is not set for the camera, which the
 * footprint term leaves unbounded.
 */
export function entryCorners(entry: DamageEntry): Vec[] | null {
  const r = entry.aw;
  if (entry.type === DAMAGE_TYPE_DENT) {
    // s2 < 1 bounds the tangent offset by r along the crease times the
    // elongation and by r across it; |height| <= r / 2.
    const n = normalized(entry.b);
    const crease = normalized(entry.normal);
    const across = cross(n, crease);
    const elongation = Math.max(entry.nw ?? 1, 1);
    return boxCorners(entry.a, [crease, across, n], [r * elongation, r, 0.5 * r]);
  }
  if (entry.type === DAMAGE_TYPE_GLASS_SHATTER || entry.type === DAMAGE_TYPE_LAMP_BROKEN) {
    // rho < rim <= 1 and |height| <= r / 4.
    const n = normalized(entry.b);
    const [u, v] = tangentsOf(n);
    return boxCorners(entry.a, [u, v, n], [r, r, 0.25 * r]);
  }
  if (entry.type === DAMAGE_TYPE_SCRATCH || entry.type === DAMAGE_TYPE_CRACK) {
    // Within the half width of the segment along the surface and the reach
    // off it: within their sum of the segment, inside its box grown by that.
    if (!(entry.nw !== undefined && entry.nw >= entry.aw)) return null;
    const grow = entry.nw + STROKE_REACH_M + SLACK_M;
    const low = [0, 1, 2].map((i) => Math.min(entry.a[i], entry.b[i]) - grow);
    const high = [0, 1, 2].map((i) => Math.max(entry.a[i], entry.b[i]) + grow);
    const centre = [0, 1, 2].map((i) => (low[i] + high[i]) / 2) as Vec;
    const half = [0, 1, 2].map((i) => (high[i] - low[i]) / 2) as Vec;
    return boxCorners(centre, WORLD_AXES, half);
  }
  if (entry.type === DAMAGE_TYPE_TIRE_FLAT) {
    // d.y < -0.15 r, |d.x| < 1.8 half width, |d.yz| < 1.3 r; world axes.
    const halfWidth = 1.8 * entry.b[1];
    const [cx, cy, cz] = entry.a;
    const top = cy - 0.15 * r;
    const bottom = cy - 1.3 * r;
    return boxCorners([cx, (top + bottom) / 2, cz], WORLD_AXES, [halfWidth, (top - bottom) / 2, 1.3 * r]);
  }
  return null;
}

/**
 * The output pixels damage `instance` can cover, as drawn by a camera with
 * `viewProjection` into width x height pixels of `supersample` squared
 * samples: rows bottom-up, padded by one pixel all round so that a label
 * touching the rectangle's edge means the bound failed. May reach outside
 * the image. Null when the damage may reach behind the camera, where no
 * rectangle bounds it, or is a stroke without its widest half width (see
 * entryCorners). Empty (width 0) when `entries` has no entry of `instance`.
 */
export function damageRect(
  entries: readonly DamageEntry[],
  instance: number,
  viewProjection: Matrix,
  width: number,
  height: number,
  supersample: number,
): PixelRect | null {
  const bounds = new ProjectedBounds(viewProjection, width, height, supersample);
  for (const entry of entries) {
    if (entry.instance !== instance) continue;
    const corners = entryCorners(entry);
    if (!corners) return null;
    for (const p of corners) if (!bounds.add(p)) return null;
  }
  return bounds.rect();
}

/**
 * The bounding box of world points as a camera with `viewProjection` draws
 * them into width x height pixels of `supersample` squared samples, turned
 * into output pixels (rows bottom-up) padded by one pixel all round, so that
 * a label touching the rectangle's edge means the bound failed.
 */
class ProjectedBounds {
  private readonly m: ArrayLike<number>;
  private readonly sampledWidth: number;
  private readonly sampledHeight: number;
  private minX = Infinity;
  private minY = Infinity;
  private maxX = -Infinity;
  private maxY = -Infinity;

  constructor(
    viewProjection: Matrix,
    width: number,
    height: number,
    private readonly supersample: number,
  ) {
    this.m = viewProjection.m;
    this.sampledWidth = width * supersample;
    this.sampledHeight = height * supersample;
  }

  /** Takes in world point `p`; false when it lies behind the camera, where no rectangle bounds it. */
  add(p: readonly number[]): boolean {
    const m = this.m;
    const w = p[0] * m[3] + p[1] * m[7] + p[2] * m[11] + m[15];
    if (!(w > 1e-6) || !Number.isFinite(w)) return false;
    const x = ((p[0] * m[0] + p[1] * m[4] + p[2] * m[8] + m[12]) / w + 1) * 0.5 * this.sampledWidth;
    const y = ((p[0] * m[1] + p[1] * m[5] + p[2] * m[9] + m[13]) / w + 1) * 0.5 * this.sampledHeight;
    this.minX = Math.min(this.minX, x);
    this.maxX = Math.max(this.maxX, x);
    this.minY = Math.min(this.minY, y);
    this.maxY = Math.max(this.maxY, y);
    return true;
  }

  /** The padded output pixels round the points taken in; empty (width 0) without any; null if one was not finite. */
  rect(): PixelRect | null {
    const { minX, maxX, minY, maxY, supersample } = this;
    if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
    if (![minX, maxX, minY, maxY].every(Number.isFinite)) return null;
    // One sample of slack for rounding in the GPU's own arithmetic, then the
    // pixels holding those samples, then the empty ring the check relies on.
    const x0 = Math.floor((minX - 1) / supersample) - 1;
    const y0 = Math.floor((minY - 1) / supersample) - 1;
    const x1 = Math.ceil((maxX + 1) / supersample) + 1;
    const y1 = Math.ceil((maxY + 1) / supersample) + 1;
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }
}

/** `rect` cut to the rectangle from (0, 0) to (width, height); width 0 when they do not meet. */
export function clipRect(rect: PixelRect, width: number, height: number): PixelRect {
  const x0 = Math.max(rect.x, 0);
  const y0 = Math.max(rect.y, 0);
  const x1 = Math.min(rect.x + rect.width, width);
  const y1 = Math.min(rect.y + rect.height, height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : { x: 0, y: 0, width: 0, height: 0 };
}

/**
 * Whether `labelled` holds for a pixel (index into the rectangle's own rows)
 * on an edge of `rect` that is not also an edge of the wide x tall target.
 */
export function labelOnInnerEdge(rect: PixelRect, wide: number, tall: number, labelled: (p: number) => boolean): boolean {
  const { width, height } = rect;
  if (width === 0 || height === 0) return false;
  const rows = [rect.y > 0 ? 0 : -1, rect.y + height < tall ? height - 1 : -1].filter((y) => y >= 0);
  const columns = [rect.x > 0 ? 0 : -1, rect.x + width < wide ? width - 1 : -1].filter((x) => x >= 0);
  for (const y of rows) for (let x = 0; x < width; x++) if (labelled(y * width + x)) return true;
  for (const x of columns) for (let y = 0; y < height; y++) if (labelled(y * width + x)) return true;
  return false;
}
