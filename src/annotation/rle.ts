/**
 * COCO run-length encoding (RLE), bit-compatible with pycocotools.
 *
 * Format (as defined by pycocotools `maskApi.c`):
 * - pixels are visited in column-major (Fortran) order: all of column 0 top
 *   to bottom, then column 1, and so on;
 * - `counts` alternates run lengths of 0s and 1s and always starts with a run
 *   of 0s, which has length 0 when the first pixel is foreground;
 * - `size` is `[height, width]` (note: height first).
 *
 * The compressed string form stores each count (from index 3 on, as the
 * difference to the count two places earlier, which is small for smooth
 * shapes) as little-endian 5-bit groups, one ASCII character per group:
 * `48 + group`, plus `0x20` when another group follows. Bit 4 of the last
 * group is a sign bit, which is why, for example, 16 needs two characters.
 *
 * @module
 */

import { assertDimensions, assertMask } from './mask';
import type { Bbox, InstanceMask } from './mask';

/** Uncompressed RLE: `size` is `[height, width]` in pixels. */
export interface Rle {
  size: [height: number, width: number];
  /** Alternating 0-run / 1-run lengths in pixels, starting with 0s. */
  counts: number[];
}

/** RLE with `counts` in the compressed string form, as COCO JSON stores it. */
export interface CompressedRle {
  size: [height: number, width: number];
  counts: string;
}

/** Either RLE form; functions accepting it decompress strings first. */
export interface RleInput {
  size: readonly [height: number, width: number];
  counts: string | readonly number[];
}

/** ASCII offset of group value 0 in the compressed form ('0'). */
const CHAR_BASE = 48;
/** Continuation flag inside a character's 6-bit payload. */
const MORE_BIT = 0x20;
/** Sign bit inside a 5-bit group. */
const SIGN_BIT = 0x10;
/**
 * Most groups one count may use. 10 groups are 50 bits, which keeps the
 * arithmetic exact in doubles and is far more than any image can need; it
 * also stops a malformed string from running into precision loss.
 */
const MAX_GROUPS = 10;

/**
 * Run-length encodes a mask in column-major order, the way pycocotools
 * `encode` does for a Fortran-ordered array.
 *
 * @returns `counts` summing to `width * height`; a mask with no foreground
 *   gives `[width * height]`, one whose top-left pixel is set starts with 0.
 */
export function encodeRle(mask: InstanceMask): Rle {
  assertMask(mask);
  const { width, height, data } = mask;
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = data[y * width + x] !== 0 ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/** {@link encodeRle} followed by {@link compressRle}: COCO JSON's RLE. */
export function encodeRleString(mask: InstanceMask): CompressedRle {
  const rle = encodeRle(mask);
  return { size: rle.size, counts: compressRle(rle.counts) };
}

/**
 * Converts counts to the compressed ASCII string (pycocotools
 * `rleToString`).
 *
 * @param counts - Run lengths, safe integers >= 0.
 */
export function compressRle(counts: readonly number[]): string {
  const codes: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`RLE count ${i} is not an integer >= 0: ${n}`);
    }
    let x = i > 2 ? n - counts[i - 2] : n;
    for (;;) {
      // Floor-based split instead of `& 0x1f` / `>> 5` so that values beyond
      // 32 bits keep behaving like the C code's arithmetic shift on a long.
      const group = ((x % 32) + 32) % 32;
      x = (x - group) / 32;
      // Stop once the remaining bits are pure sign extension of this group.
      const more = (group & SIGN_BIT) !== 0 ? x !== -1 : x !== 0;
      codes.push(CHAR_BASE + (more ? group | MORE_BIT : group));
      if (!more) break;
    }
  }
  // Chunked so that huge masks do not exceed the argument-count limit.
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) {
    out += String.fromCharCode(...codes.slice(i, i + 8192));
  }
  return out;
}

/**
 * Parses the compressed ASCII string back to counts (pycocotools
 * `rleFrString`). Throws a `RangeError` on characters outside `'0'..'o'`
 * or a string that ends in the middle of a count.
 */
export function decompressRle(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let scale = 1;
    let groups = 0;
    let more = true;
    let group = 0;
    while (more) {
      if (p >= s.length) {
        throw new RangeError(`RLE string ends inside count ${counts.length}`);
      }
      const c = s.charCodeAt(p) - CHAR_BASE;
      if (c < 0 || c > 0x3f) {
        throw new RangeError(`RLE string has invalid character at ${p}`);
      }
      if (++groups > MAX_GROUPS) {
        throw new RangeError(`RLE count ${counts.length} is too long`);
      }
      group = c & 0x1f;
      x += group * scale;
      scale *= 32;
      more = (c & MORE_BIT) !== 0;
      p++;
    }
    // Sign-extend: OR-ing ones above the read bits is subtracting 2^bits.
    if ((group & SIGN_BIT) !== 0) x -= scale;
    const m = counts.length;
    counts.push(m > 2 ? x + counts[m - 2] : x);
  }
  return counts;
}

/**
 * Checks `rle` and returns its counts as numbers. Decoding, area and box all
 * go through here so that a count list that does not cover the image
 * exactly is rejected rather than silently truncated or padded.
 */
function resolveCounts(rle: RleInput): readonly number[] {
  const [height, width] = rle.size;
  assertDimensions(width, height, 'RLE');
  const counts =
    typeof rle.counts === 'string' ? decompressRle(rle.counts) : rle.counts;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`RLE count ${i} is not an integer >= 0: ${n}`);
    }
    total += n;
  }
  if (total !== width * height) {
    throw new RangeError(
      `RLE counts sum to ${total}, expected ${width * height} ` +
        `(${width} x ${height})`,
    );
  }
  return counts;
}

/** Expands an RLE (either form) to a row-major mask of 0/1 bytes. */
export function decodeRle(rle: RleInput): InstanceMask {
  const counts = resolveCounts(rle);
  const [height, width] = rle.size;
  const data = new Uint8Array(width * height);
  let pos = 0;
  for (let i = 0; i < counts.length; i++) {
    const end = pos + counts[i];
    if (i % 2 === 1) {
      for (let j = pos; j < end; j++) {
        // Column-major index j is column floor(j / height), row j % height.
        data[(j % height) * width + Math.floor(j / height)] = 1;
      }
    }
    pos = end;
  }
  return { width, height, data };
}

/** Foreground pixel count of an RLE: the sum of its 1-runs, in pixels. */
export function rleArea(rle: RleInput): number {
  const counts = resolveCounts(rle);
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) area += counts[i];
  return area;
}

/**
 * Tight COCO `[x, y, w, h]` box, in pixels, computed from the runs alone
 * (no mask is materialised), as pycocotools `toBbox` does. Empty gives
 * `[0, 0, 0, 0]`.
 */
export function rleBbox(rle: RleInput): Bbox {
  const counts = resolveCounts(rle);
  const height = rle.size[0];
  let minX = Infinity;
  let maxX = -1;
  let minY = Infinity;
  let maxY = -1;
  let pos = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (i % 2 === 1 && n > 0) {
      const first = pos;
      const last = pos + n - 1;
      const x0 = Math.floor(first / height);
      const x1 = Math.floor(last / height);
      if (x0 < minX) minX = x0;
      if (x1 > maxX) maxX = x1;
      if (x0 === x1) {
        minY = Math.min(minY, first % height);
        maxY = Math.max(maxY, last % height);
      } else {
        // A run that wraps into the next column covers the bottom row of
        // its first column and the top row of the next, so it spans all
        // rows of the box whatever else is set.
        minY = 0;
        maxY = height - 1;
      }
    }
    pos += n;
  }
  if (maxX < 0) return [0, 0, 0, 0];
  return [minX, minY, maxX - minX + 1, maxY - minY + 1];
}
