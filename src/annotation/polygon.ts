/**
 * Exact polygon outlines of binary masks, in COCO `segmentation` form.
 *
 * Coordinates are pixel corners: pixel (x, y) is the unit square from
 * (x, y) to (x + 1, y + 1), x to the right, y down. Each 4-connected piece of
 * the mask gets one closed polygon running along pixel edges around its outer
 * boundary, so that filling it by the pixel-centre rule gives back exactly
 * that piece. Two pixels that only touch at a corner belong to different
 * pieces (4-connectivity), which is why the background is treated as
 * 8-connected when looking for holes: the two rules are the dual pair for
 * which outer boundaries and holes are well defined.
 *
 * @module
 */

import { assertDimensions, assertMask } from './mask';
import type { InstanceMask } from './mask';

// Directions, clockwise on screen (y down): east, south, west, north. Turning
// right is +1, turning left is +3 (mod 4).
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Labels the 4-connected foreground pieces 1, 2, ... in row-major order of
 * their first pixel. Background stays 0.
 */
function labelPieces(mask: InstanceMask): {
  labels: Int32Array;
  starts: number[];
} {
  const { width, height, data } = mask;
  const n = width * height;
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  const starts: number[] = [];
  let label = 0;
  let top = 0;
  // Labelling on push (not pop) keeps every pixel on the stack at most
  // once, so the stack can never overflow its n slots.
  const push = (r: number): void => {
    if (data[r] !== 0 && labels[r] === 0) {
      labels[r] = label;
      stack[top++] = r;
    }
  };
  for (let p = 0; p < n; p++) {
    if (data[p] === 0 || labels[p] !== 0) continue;
    starts.push(p);
    label = starts.length;
    push(p);
    while (top > 0) {
      const q = stack[--top];
      const x = q % width;
      const y = (q - x) / width;
      if (x > 0) push(q - 1);
      if (x + 1 < width) push(q + 1);
      if (y > 0) push(q - width);
      if (y + 1 < height) push(q + width);
    }
  }
  return { labels, starts };
}

/**
 * Walks the outer boundary of the piece with the given label, keeping the
 * piece on the right-hand side (clockwise on screen), and returns its corner
 * vertices as a flat `[x1, y1, x2, y2, ...]` list.
 *
 * `start` is the piece's first pixel in row-major order. Nothing of the piece
 * lies above it or to its left in its row, so its top-left corner touches no
 * other pixel of the piece: the walk passes that vertex exactly once, and
 * returning to it closes the loop.
 */
function traceOuter(
  labels: Int32Array,
  width: number,
  height: number,
  label: number,
  start: number,
  connectivity: 4 | 8 = 4,
): number[] {
  const inside = (px: number, py: number): boolean =>
    px >= 0 &&
    py >= 0 &&
    px < width &&
    py < height &&
    labels[py * width + px] === label;
  // The pixel in the quadrant (ox, oy) (each +1 or -1) around vertex (vx, vy).
  const quadrant = (vx: number, vy: number, ox: number, oy: number): boolean =>
    inside(ox > 0 ? vx : vx - 1, oy > 0 ? vy : vy - 1);

  const sx = start % width;
  const sy = (start - sx) / width;
  const out = [sx, sy];
  let vx = sx;
  let vy = sy;
  let dir = 0; // East along the top edge of the start pixel.
  for (;;) {
    vx += DX[dir];
    vy += DY[dir];
    if (vx === sx && vy === sy) break;
    const right = (dir + 1) & 3;
    const left = (dir + 3) & 3;
    // Of the two pixels ahead, one is right of the line of travel and one
    // left. At a diagonal-only contact (ahead-left in the region, ahead-right
    // not), turning right hugs the pixel being circled (4-connected regions)
    // and turning left crosses to the diagonal one (8-connected regions).
    const aheadRight = quadrant(vx, vy, DX[dir] + DX[right], DY[dir] + DY[right]);
    const aheadLeft = quadrant(vx, vy, DX[dir] + DX[left], DY[dir] + DY[left]);
    let next: number;
    if (aheadLeft && (aheadRight || connectivity === 8)) {
      next = left;
    } else if (aheadRight) {
      next = dir;
    } else {
      next = right;
    }
    // Only corners are emitted, so collinear edge points are merged.
    if (next !== dir) {
      out.push(vx, vy);
      dir = next;
    }
  }
  return out;
}

/**
 * Traces one COCO polygon per 4-connected piece of `mask`.
 *
 * Each polygon is a flat `[x1, y1, x2, y2, ...]` list of pixel-corner
 * coordinates (integers, x in `[0, width]`, y in `[0, height]`) running
 * clockwise on screen along the piece's outer boundary, with only corner
 * vertices kept; every polygon has at least 4 points. Polygons come in
 * row-major order of each piece's first pixel. A piece whose boundary
 * pinches at a corner yields a polygon that touches itself at that vertex,
 * which both even-odd and nonzero filling handle correctly.
 *
 * Holes cannot be expressed (COCO unions the polygons of one object), so
 * they come out filled; check {@link polygonsAreExact} and use RLE when it
 * is false. An empty mask gives `[]`.
 */
export function maskToPolygons(mask: InstanceMask): number[][] {
  assertMask(mask);
  const { labels, starts } = labelPieces(mask);
  return starts.map((start, i) =>
    traceOuter(labels, mask.width, mask.height, i + 1, start),
  );
}

/**
 * Labels the holes of `mask` 1, 2, ... in row-major order of their first
 * pixel: the 8-connected background regions that do not reach the image
 * border. Everything else stays 0.
 */
function labelHoles(mask: InstanceMask): { labels: Int32Array; starts: number[] } {
  const { width, height, data } = mask;
  const n = width * height;
  // -1 marks background joined to the border; holes get labels from 1.
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  const starts: number[] = [];
  let top = 0;
  const fill = (seed: number, label: number): void => {
    labels[seed] = label;
    stack[top++] = seed;
    while (top > 0) {
      const q = stack[--top];
      const x = q % width;
      const y = (q - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const r = yy * width + xx;
          if (xx < 0 || xx >= width || data[r] !== 0 || labels[r] !== 0) continue;
          labels[r] = label;
          stack[top++] = r;
        }
      }
    }
  };
  for (let p = 0; p < n; p++) {
    const x = p % width;
    const y = (p - x) / width;
    const border = x === 0 || y === 0 || x === width - 1 || y === height - 1;
    if (border && data[p] === 0 && labels[p] === 0) fill(p, -1);
  }
  for (let p = 0; p < n; p++) {
    if (data[p] !== 0 || labels[p] !== 0) continue;
    starts.push(p);
    fill(p, starts.length);
  }
  return { labels, starts };
}

/**
 * Traces `mask` as one polygon, holes and all, for formats whose object is
 * a single polygon without holes (Ultralytics YOLO segmentation labels).
 *
 * Every outline is traced as {@link maskToPolygons} traces it: each
 * 4-connected piece clockwise on screen, and each hole (an 8-connected
 * background region enclosed by the mask) counter-clockwise. The outlines,
 * in row-major order of their first pixel, are chained into one closed
 * polygon by zero-width cuts, as Ultralytics' own converter joins the
 * pieces of an object: the walk leaves outline k at the vertex closest to
 * outline k + 1, goes straight there, runs round all of it (and on to the
 * later outlines), and comes back along the same segment. Each cut is
 * crossed once in each direction, so it adds nothing under the even-odd
 * rule or the nonzero rule; the holes run against the pieces, so both rules
 * fill exactly the mask's pixels (by the pixel-centre rule of
 * {@link rasterizePolygons}), and the signed area is the mask's area.
 *
 * @returns A flat `[x1, y1, x2, y2, ...]` list of pixel-corner coordinates
 *   starting at the top-left corner of the mask's first pixel; `[]` for an
 *   empty mask.
 */
export function maskToSinglePolygon(mask: InstanceMask): number[] {
  assertMask(mask);
  const { width, height } = mask;
  const pieces = labelPieces(mask);
  const holes = labelHoles(mask);
  const outlines = [
    ...pieces.starts.map((start, i) => ({ start, points: traceOuter(pieces.labels, width, height, i + 1, start) })),
    ...holes.starts.map((start, i) => ({ start, points: reverseLoop(traceOuter(holes.labels, width, height, i + 1, start, 8)) })),
  ]
    .sort((a, b) => a.start - b.start)
    .map((o) => o.points);
  if (outlines.length === 0) return [];

  // Where the walk enters outline k (vertex index) and where it leaves for k + 1.
  const enter = [0];
  const leave: number[] = [];
  for (let k = 0; k + 1 < outlines.length; k++) {
    const [from, to] = closestVertices(outlines[k], outlines[k + 1]);
    leave.push(from);
    enter.push(to);
  }
  const out: number[] = [];
  const walk = (loop: number[], from: number, count: number): void => {
    const n = loop.length / 2;
    for (let i = 0; i < count; i++) {
      const v = (from + i) % n;
      out.push(loop[2 * v], loop[2 * v + 1]);
    }
  };
  const last = outlines.length - 1;
  for (let k = 0; k < last; k++) {
    const n = outlines[k].length / 2;
    walk(outlines[k], enter[k], ((leave[k] - enter[k] + n) % n) + 1);
  }
  // The last outline all the way round, back to where it was entered.
  walk(outlines[last], enter[last], outlines[last].length / 2 + (last > 0 ? 1 : 0));
  for (let k = last - 1; k >= 0; k--) {
    const n = outlines[k].length / 2;
    const rest = n - ((leave[k] - enter[k] + n) % n);
    // Back over the cut to the vertex left from, and on round to where the
    // outline was entered; the first outline closes by itself.
    walk(outlines[k], leave[k], k > 0 ? rest + 1 : rest);
  }
  return out;
}

/** The same closed loop, run the other way from the same first vertex. */
function reverseLoop(loop: number[]): number[] {
  const out = [loop[0], loop[1]];
  for (let i = loop.length - 2; i >= 2; i -= 2) out.push(loop[i], loop[i + 1]);
  return out;
}

/** Vertex indices `[i, j]` of `a` and `b` with the least distance; the first such pair in order. */
function closestVertices(a: number[], b: number[]): [number, number] {
  let best = Infinity;
  let pair: [number, number] = [0, 0];
  for (let i = 0; i < a.length; i += 2) {
    for (let j = 0; j < b.length; j += 2) {
      const d = (a[i] - b[j]) ** 2 + (a[i + 1] - b[j + 1]) ** 2;
      if (d < best) {
        best = d;
        pair = [i / 2, j / 2];
      }
    }
  }
  return pair;
}

/**
 * True when {@link maskToPolygons} describes `mask` exactly, i.e. the mask
 * has no holes: every background pixel is 8-connected to the area outside
 * the image. An empty mask is exact (no polygons, no pixels).
 */
export function polygonsAreExact(mask: InstanceMask): boolean {
  assertMask(mask);
  const { width, height, data } = mask;
  const n = width * height;
  const reached = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  let background = 0;
  let reachedCount = 0;
  const seed = (p: number): void => {
    if (data[p] === 0 && reached[p] === 0) {
      reached[p] = 1;
      reachedCount++;
      stack[top++] = p;
    }
  };
  for (let p = 0; p < n; p++) {
    if (data[p] === 0) background++;
  }
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (top > 0) {
    const q = stack[--top];
    const x = q % width;
    const y = (q - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx >= 0 && xx < width) seed(yy * width + xx);
      }
    }
  }
  return reachedCount === background;
}

/**
 * Fills polygons by the pixel-centre rule: pixel (x, y) is set iff its centre
 * (x + 0.5, y + 0.5) is inside a polygon under the even-odd rule. Each
 * polygon is filled on its own and the results are unioned, matching how
 * COCO merges the polygons of one object. A centre exactly on an edge counts
 * as inside for left edges and outside for right ones (half-open spans), so
 * polygons sharing an edge never both claim a pixel.
 *
 * @param polys - Flat `[x1, y1, x2, y2, ...]` lists in pixel-corner
 *   coordinates; each needs at least 3 points and finite numbers.
 * @param width - Output width in pixels, integer >= 0.
 * @param height - Output height in pixels, integer >= 0.
 */
export function rasterizePolygons(
  polys: readonly (readonly number[])[],
  width: number,
  height: number,
): InstanceMask {
  assertDimensions(width, height, 'raster');
  const data = new Uint8Array(width * height);
  const xs: number[] = [];
  for (const poly of polys) {
    if (poly.length < 6 || poly.length % 2 !== 0) {
      throw new RangeError(
        `polygon needs an even number (>= 6) of values: ${poly.length}`,
      );
    }
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < poly.length; i++) {
      if (!Number.isFinite(poly[i])) {
        throw new RangeError(`polygon value ${i} is not finite: ${poly[i]}`);
      }
      if (i % 2 === 1) {
        minY = Math.min(minY, poly[i]);
        maxY = Math.max(maxY, poly[i]);
      }
    }
    const rowFrom = Math.max(0, Math.ceil(minY - 0.5));
    const rowTo = Math.min(height - 1, Math.floor(maxY - 0.5));
    const points = poly.length / 2;
    for (let y = rowFrom; y <= rowTo; y++) {
      const cy = y + 0.5;
      xs.length = 0;
      for (let i = 0; i < points; i++) {
        const j = (i + 1) % points;
        const x1 = poly[2 * i];
        const y1 = poly[2 * i + 1];
        const x2 = poly[2 * j];
        const y2 = poly[2 * j + 1];
        // Half-open in y: a vertex exactly on the scan line is counted once,
        // and horizontal edges never cross.
        // Measured from the upper end, so that an edge gives the same x
        // run either way (a zero-width cut cancels exactly).
        if (y1 <= cy !== y2 <= cy) {
          xs.push(
            y1 < y2
              ? x1 + ((cy - y1) * (x2 - x1)) / (y2 - y1)
              : x2 + ((cy - y2) * (x1 - x2)) / (y1 - y2),
          );
        }
      }
      xs.sort((a, b) => a - b);
      const row = y * width;
      for (let k = 0; k + 1 < xs.length; k += 2) {
        // Centres x + 0.5 in [xs[k], xs[k + 1]).
        const from = Math.max(0, Math.ceil(xs[k] - 0.5));
        const to = Math.min(width, Math.ceil(xs[k + 1] - 0.5));
        for (let x = from; x < to; x++) data[row + x] = 1;
      }
    }
  }
  return { width, height, data };
}
