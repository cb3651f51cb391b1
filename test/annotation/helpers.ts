// Small builders shared by the annotation tests. Not a test file itself.

import type { InstanceMask } from '../../src/annotation/mask';

/**
 * Builds a mask from ASCII art: one string per row, top row first, '#' for
 * foreground and '.' for background. Keeps hand-written vectors readable.
 */
export function maskFromRows(rows: string[], width?: number): InstanceMask {
  const w = width ?? (rows.length > 0 ? rows[0].length : 0);
  const data = new Uint8Array(w * rows.length);
  rows.forEach((row, y) => {
    if (row.length !== w) throw new Error(`row ${y} is not ${w} wide`);
    for (let x = 0; x < w; x++) data[y * w + x] = row[x] === '#' ? 1 : 0;
  });
  return { width: w, height: rows.length, data };
}

/** The inverse of {@link maskFromRows}, for readable failure messages. */
export function rowsOf(mask: InstanceMask): string[] {
  const rows: string[] = [];
  for (let y = 0; y < mask.height; y++) {
    let row = '';
    for (let x = 0; x < mask.width; x++) {
      row += mask.data[y * mask.width + x] !== 0 ? '#' : '.';
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Deterministic pseudo-random numbers in [0, 1), so property tests fail the
 * same way every run. A 32-bit linear congruential generator (multiplier
 * 1664525, increment 1013904223) is plenty for picking test inputs.
 */
export function makeRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A random integer in [lo, hi], inclusive. */
export function randomInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** A random mask in which each pixel is set with probability `density`. */
export function randomMask(
  rng: () => number,
  width: number,
  height: number,
  density: number,
): InstanceMask {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rng() < density ? 1 : 0;
  return { width, height, data };
}

/**
 * Signed shoelace area of a flat [x1, y1, x2, y2, ...] polygon. Positive for
 * polygons running clockwise on screen (y down).
 */
export function shoelaceArea(poly: readonly number[]): number {
  const n = poly.length / 2;
  let twice = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    twice += poly[2 * i] * poly[2 * j + 1] - poly[2 * j] * poly[2 * i + 1];
  }
  return twice / 2;
}
