/**
 * The car body as one lofted surface: a grid of cross-sections (rows,
 * rear to front) times perimeter points (columns, a closed loop). The
 * nose and tail are caps: a rounded rim in which the sections shrink along
 * superellipses, then a flat (slightly leaning) end face whose rings close
 * onto a pole, so the surface is closed without a separate part.
 *
 * Normals are computed once over the whole grid, with coincident points
 * welded, so panels cut out of it later shade without visible seams.
 */
import type { CarLayout } from './car-layout';
import { HALF_QUADS, halfSection } from './body-section';

/** One cross-section position. */
export interface Station {
  /** Position along the car before the face lean, metres. */
  readonly z: number;
  /** Fraction of the cap depth travelled: 0 outside caps, 1 on a face. */
  readonly t: number;
  /** Section width scale: 1 = full size, 0 = the pole. */
  readonly sx: number;
  /**
   * Section height scale about the pole height: 1 = full size, 0 = the
   * pole. Panels inside a cap are cut by this measure.
   */
  readonly s: number;
}

/** The sampled body surface. */
export interface BodyGrid {
  readonly stations: readonly Station[];
  /** Points per ring; the last repeats the first to close the loop. */
  readonly cols: number;
  /** x, y, z per grid point (row-major), metres. */
  readonly positions: Float64Array;
  /** Unit normal per grid point. */
  readonly normals: Float64Array;
  /** u (around the perimeter) and v (along the car) per grid point. */
  readonly uvs: Float64Array;
}

/** Cap shape for `capStations`. */
interface CapShape {
  /** Depth of the rounded rim along z, metres. */
  readonly depth: number;
  /** Typical half-width and half-height of the section, metres. */
  readonly size: { readonly x: number; readonly y: number };
  /** Superellipse exponents of the rim in plan and side view. */
  readonly px: number;
  readonly py: number;
  /** Scale of the flat end face relative to the section (x and y). */
  readonly faceX: number;
  readonly faceY: number;
}

/**
 * Cap stations from the full section (excluded) to the pole (included).
 *
 * First the rounded rim: width and height shrink from the full section to
 * the flat face outline along superellipses (1 - s')^p + t^p = 1, where s'
 * runs from 1 to 0 between section and face outline. At t = 1 the rim
 * meets the face at a tangent, so the edge is smooth. Rim stations are
 * spaced by arc length along the combined curve. Then rings of the flat
 * face, at one z, shrinking to the pole.
 */
function capStations(
  rimCount: number,
  faceCount: number,
  c: CapShape,
): { t: number; sx: number; s: number }[] {
  const samples = 500;
  const shrink = (t: number, p: number): number =>
    Math.pow(Math.max(0, 1 - Math.pow(t, p)), 1 / p);
  // Parametrising t by an angle packs samples where the curves turn.
  const at = (th: number): { t: number; sx: number; s: number } => {
    const t = Math.pow(Math.sin(th), 2 / Math.max(c.px, c.py));
    return {
      t,
      sx: c.faceX + (1 - c.faceX) * shrink(t, c.px),
      s: c.faceY + (1 - c.faceY) * shrink(t, c.py),
    };
  };
  const cum = [0];
  let prev = at(0);
  for (let i = 1; i <= samples; i++) {
    const cur = at((Math.PI / 2) * (i / samples));
    cum.push(
      cum[i - 1] +
        Math.hypot(
          (cur.t - prev.t) * c.depth,
          (cur.sx - prev.sx) * c.size.x,
          (cur.s - prev.s) * c.size.y,
        ),
    );
    prev = cur;
  }
  const total = cum[samples];
  const out: { t: number; sx: number; s: number }[] = [];
  let k = 1;
  for (let q = 1; q < rimCount; q++) {
    const target = (total * q) / rimCount;
    while (cum[k] < target) k++;
    const f = (target - cum[k - 1]) / (cum[k] - cum[k - 1]);
    out.push(at((Math.PI / 2) * ((k - 1 + f) / samples)));
  }
  for (let q = faceCount; q >= 0; q--) {
    const f = q / faceCount;
    out.push({ t: 1, sx: c.faceX * f, s: c.faceY * f });
  }
  return out;
}

/** z values where a panel boundary or feature needs a station. */
function keyStations(L: CarLayout): number[] {
  const keys = [
    L.cowlZ, L.roofFrontZ, L.roofMidZ, L.roofRearZ, L.rearWindowBaseZ,
    L.doorFrontZ, L.doorSplitZ - L.pillarBHalfWidth,
    L.doorSplitZ + L.pillarBHalfWidth, L.doorRearZ,
    L.frontBumperZ, L.rearBumperZ, L.frontAxleZ, L.rearAxleZ,
  ];
  // A station pair 1 mm apart either side of each arch edge makes the
  // arch's vertical ends nearly sharp instead of a slanted step.
  for (const axle of [L.frontAxleZ, L.rearAxleZ]) {
    for (const side of [-1, 1]) {
      const edge = axle + side * L.archRadius;
      keys.push(edge - 0.0005, edge + 0.0005);
    }
  }
  return keys;
}

/**
 * Rear pole to front pole, non-decreasing in z (the rings of each flat
 * end face share one z).
 */
export function bodyStations(L: CarLayout): Station[] {
  const p = L.params;
  const z0 = L.zTail + L.rearCapDepth;
  const z1 = L.zFront - L.frontCapDepth;
  const n = p.bodyStations;
  const step = (z1 - z0) / (n - 1);
  const keys = keyStations(L).filter((k) => k > z0 && k < z1);
  const mid: number[] = [z0, z1, ...keys];
  for (let i = 1; i < n - 1; i++) {
    const z = z0 + i * step;
    if (keys.every((k) => Math.abs(k - z) > 0.35 * step)) mid.push(z);
  }
  mid.sort((a, b) => a - b);
  const unique = mid.filter((z, i) => i === 0 || z - mid[i - 1] > 1e-9);

  const w = p.width / 2;
  const cap = (front: boolean): CapShape => ({
    depth: front ? L.frontCapDepth : L.rearCapDepth,
    size: {
      x: w,
      y: (front ? p.hoodFrontHeight : p.deckHeight) -
        (front ? L.frontPoleY : L.rearPoleY),
    },
    px: L.capExponentPlan,
    py: L.capExponentSide,
    faceX: front ? L.noseFaceX : L.tailFaceX,
    faceY: front ? L.noseFaceY : L.tailFaceY,
  });
  const rimN = 14;
  const faceN = 8;
  const rear = capStations(rimN, faceN, cap(false));
  const front = capStations(rimN, faceN, cap(true));
  const out: Station[] = [];
  for (let i = rear.length - 1; i >= 0; i--) {
    out.push({ ...rear[i], z: z0 - L.rearCapDepth * rear[i].t });
  }
  for (const z of unique) out.push({ z, t: 0, sx: 1, s: 1 });
  for (const c of front) out.push({ ...c, z: z1 + L.frontCapDepth * c.t });
  return out;
}

/** Builds the body grid with welded, area-weighted smooth normals. */
export function buildBodyGrid(L: CarLayout): BodyGrid {
  const stations = bodyStations(L);
  const K = HALF_QUADS;
  const cols = 2 * K + 1;
  const rows = stations.length;
  const positions = new Float64Array(rows * cols * 3);
  const uvs = new Float64Array(rows * cols * 2);
  stations.forEach((st, i) => {
    const half = halfSection(L, st.z);
    const front = st.z > 0;
    const yc = front ? L.frontPoleY : L.rearPoleY;
    for (let j = 0; j < cols; j++) {
      // Left half going up, then the mirrored right half coming down.
      const h = j <= K ? half[j] : half[2 * K - j];
      const x = j <= K ? h[0] : -h[0];
      const o = (i * cols + j) * 3;
      // Full-size sections are copied as computed so exact dimensions
      // (roof height, body width) survive without rounding.
      const y = st.s === 1 ? h[1] : yc + st.s * (h[1] - yc);
      positions[o] = st.sx === 1 ? x : st.sx * x;
      positions[o + 1] = y;
      positions[o + 2] = st.z + st.t * L.capLean(front, y);
      uvs[(i * cols + j) * 2] = j / (cols - 1);
      uvs[(i * cols + j) * 2 + 1] = (st.z - L.zTail) / L.params.length;
    }
  });
  const normals = weldedNormals(positions, rows, cols, stations, L);
  return { stations, cols, positions, normals, uvs };
}

/** Points closer than this (metres, per axis) are welded for shading. */
const WELD = 1e-6;

function weldedNormals(
  pos: Float64Array,
  rows: number,
  cols: number,
  stations: readonly Station[],
  L: CarLayout,
): Float64Array {
  const count = rows * cols;
  // Points at the same place share one normal so the surface shades as if
  // it were one welded mesh. Coincident points only occur within a ring:
  // runs of a collapsed segment, a whole pole ring, and the loop seam.
  const id = new Int32Array(count);
  const same = (a: number, b: number): boolean =>
    Math.abs(pos[a * 3] - pos[b * 3]) < WELD &&
    Math.abs(pos[a * 3 + 1] - pos[b * 3 + 1]) < WELD &&
    Math.abs(pos[a * 3 + 2] - pos[b * 3 + 2]) < WELD;
  let next = 0;
  for (let i = 0; i < rows; i++) {
    const first = i * cols;
    id[first] = next++;
    for (let v = first + 1; v < first + cols; v++) {
      id[v] = same(v, v - 1) ? id[v - 1] : next++;
    }
    const last = first + cols - 1;
    if (same(last, first)) {
      // Fold the run that ends at the seam into the run it started with.
      const from = id[last];
      for (let v = last; v > first && id[v] === from; v--) id[v] = id[first];
    }
  }
  const acc = new Float64Array(next * 3);
  const addFace = (a: number, b: number, c: number): void => {
    const ux = pos[b * 3] - pos[a * 3];
    const uy = pos[b * 3 + 1] - pos[a * 3 + 1];
    const uz = pos[b * 3 + 2] - pos[a * 3 + 2];
    const vx = pos[c * 3] - pos[a * 3];
    const vy = pos[c * 3 + 1] - pos[a * 3 + 1];
    const vz = pos[c * 3 + 2] - pos[a * 3 + 2];
    // Unnormalised cross product = twice the area: area weighting.
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    for (const v of [a, b, c]) {
      acc[id[v] * 3] += nx;
      acc[id[v] * 3 + 1] += ny;
      acc[id[v] * 3 + 2] += nz;
    }
  };
  for (let i = 0; i + 1 < rows; i++) {
    for (let j = 0; j + 1 < cols; j++) {
      const [a, b, c, d] = quadCorners(i, j, cols);
      addFace(a, b, c);
      addFace(b, d, c);
    }
  }
  const out = new Float64Array(count * 3);
  for (let v = 0; v < count; v++) {
    let nx = acc[id[v] * 3];
    let ny = acc[id[v] * 3 + 1];
    let nz = acc[id[v] * 3 + 2];
    let len = Math.hypot(nx, ny, nz);
    if (len < 1e-14) {
      // Isolated degenerate point: fall back to the radial direction.
      const st = stations[Math.floor(v / cols)];
      nx = pos[v * 3];
      ny = pos[v * 3 + 1] - (st.z > 0 ? L.frontPoleY : L.rearPoleY);
      nz = 0;
      len = Math.hypot(nx, ny);
      if (len === 0) {
        ny = 1;
        len = 1;
      }
    }
    out[v * 3] = nx / len;
    out[v * 3 + 1] = ny / len;
    out[v * 3 + 2] = nz / len;
  }
  return out;
}

/**
 * Grid indices of quad (i, j): a = (i, j), b = (i, j + 1), c = (i + 1, j),
 * d = (i + 1, j + 1). With rows running towards +z and columns running
 * counter-clockwise seen from the front, triangles (a, b, c) and (b, d, c)
 * are counter-clockwise seen from outside the body.
 */
export function quadCorners(
  i: number,
  j: number,
  cols: number,
): [number, number, number, number] {
  const a = i * cols + j;
  return [a, a + 1, a + cols, a + cols + 1];
}

/**
 * The body's foremost (front) or rearmost (rear) z over a rectangle of the
 * nose or tail face, metres: where a flat part such as a licence plate
 * can stand without cutting into the body. `margin` widens the rectangle
 * to allow for the surface between grid points.
 */
export function faceExtremeZ(
  grid: BodyGrid,
  end: 'front' | 'rear',
  rect: { x0: number; x1: number; y0: number; y1: number },
  margin = 0.02,
): number {
  const P = grid.positions;
  let best = end === 'front' ? -Infinity : Infinity;
  for (let v = 0; v < P.length; v += 3) {
    const [x, y, z] = [P[v], P[v + 1], P[v + 2]];
    if (end === 'front' ? z <= 0 : z >= 0) continue;
    if (x < rect.x0 - margin || x > rect.x1 + margin) continue;
    if (y < rect.y0 - margin || y > rect.y1 + margin) continue;
    best = end === 'front' ? Math.max(best, z) : Math.min(best, z);
  }
  if (!Number.isFinite(best)) throw new Error(`no body face at the ${end}`);
  return best;
}
