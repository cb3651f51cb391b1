/**
 * The ID render pass: an RGBA image in which every pixel names the object it
 * shows, so instance masks can be cut out exactly instead of being inferred
 * from colour.
 *
 * Per-pixel encoding (alpha is not part of the ID and is never read):
 * - B byte: kind, one of {@link ID_KIND_BACKGROUND}, {@link ID_KIND_PART},
 *   {@link ID_KIND_DAMAGE};
 * - R + 256 * G: index within that kind, 0 to 65535. Damage instances are
 *   numbered from 0. Background pixels carry index 0.
 *
 * @module
 */

import { assertDimensions } from './mask';
import type { InstanceMask } from './mask';

/** Kind byte of pixels showing no object (sky, floor, studio). */
export const ID_KIND_BACKGROUND = 0;
/** Kind byte of pixels showing an undamaged car part. */
export const ID_KIND_PART = 1;
/** Kind byte of pixels showing a damage instance. */
export const ID_KIND_DAMAGE = 2;

/**
 * A decoded ID pass. `data` holds RGBA bytes, 4 per pixel, row-major with
 * row 0 = the TOP row (the GPU read-back has already been flipped).
 * `Uint8ClampedArray` is accepted because that is what canvas `ImageData`
 * yields; the bytes are identical.
 */
export interface IdImage {
  /** Width in pixels; integer >= 0. */
  readonly width: number;
  /** Height in pixels; integer >= 0. */
  readonly height: number;
  /** RGBA bytes; length exactly `width * height * 4`. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** One pixel whose ID does not name a known instance. */
export interface UnknownIdPixel {
  /** Column, 0 = left. */
  x: number;
  /** Row, 0 = top. */
  y: number;
  /** Raw kind byte (B). */
  b: number;
  /** Raw index, R + 256 * G. */
  index: number;
}

/** Result of {@link findUnknownIds}. */
export interface UnknownIdReport {
  /** Number of offending pixels in the whole image. */
  count: number;
  /** The first offending pixels in row-major order, at most the cap. */
  sample: UnknownIdPixel[];
}

function assertIdImage(img: IdImage): void {
  assertDimensions(img.width, img.height, 'ID image');
  const expected = img.width * img.height * 4;
  if (img.data.length !== expected) {
    throw new RangeError(
      `ID image has ${img.data.length} bytes, expected ${expected} ` +
        `(${img.width} x ${img.height} RGBA)`,
    );
  }
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be an integer >= 0: ${n}`);
  }
}

/**
 * Cuts out one binary mask per index of the given kind, in a single pass
 * over the pixels.
 *
 * @param kind - Kind byte to select, integer 0 to 255 (normally
 *   {@link ID_KIND_PART} or {@link ID_KIND_DAMAGE}).
 * @returns Index to mask (same width/height as `img`), holding only indices
 *   that actually occur, in ascending index order so that output built from
 *   it is deterministic.
 */
export function splitInstanceMasks(
  img: IdImage,
  kind: number,
): Map<number, InstanceMask> {
  assertIdImage(img);
  if (!Number.isInteger(kind) || kind < 0 || kind > 255) {
    throw new RangeError(`kind must be a byte value: ${kind}`);
  }
  const { width, height, data } = img;
  const found = new Map<number, Uint8Array>();
  // Neighbouring pixels mostly share an instance; caching the last buffer
  // avoids a Map lookup per pixel.
  let lastIndex = -1;
  let last: Uint8Array | undefined;
  const n = width * height;
  for (let p = 0; p < n; p++) {
    const o = p * 4;
    if (data[o + 2] !== kind) continue;
    const index = data[o] + 256 * data[o + 1];
    if (index !== lastIndex) {
      last = found.get(index);
      if (last === undefined) {
        last = new Uint8Array(n);
        found.set(index, last);
      }
      lastIndex = index;
    }
    (last as Uint8Array)[p] = 1;
  }
  const result = new Map<number, InstanceMask>();
  for (const index of [...found.keys()].sort((a, b) => a - b)) {
    result.set(index, { width, height, data: found.get(index)! });
  }
  return result;
}

/**
 * Finds pixels whose ID does not map to a known instance, so a caller can
 * prove that every pixel of the ID pass is accounted for before writing
 * labels. A pixel is unknown when:
 * - its kind byte is not 0, 1 or 2; or
 * - it is background with a non-zero index (background has no instances,
 *   so such a value means the pass was blended or corrupted); or
 * - it is a part with index >= `knownParts`; or
 * - it is damage with index >= `knownDamage`.
 *
 * @param knownDamage - Number of damage instances in the scene; valid
 *   indices are `0 .. knownDamage - 1`. Integer >= 0.
 * @param knownParts - Number of car parts in the scene; valid indices are
 *   `0 .. knownParts - 1`. Integer >= 0.
 * @param maxSamples - Cap on `sample` length, integer >= 0 (default 16),
 *   so a fully broken frame does not allocate one object per pixel.
 */
export function findUnknownIds(
  img: IdImage,
  knownDamage: number,
  knownParts: number,
  maxSamples = 16,
): UnknownIdReport {
  assertIdImage(img);
  assertCount(knownDamage, 'knownDamage');
  assertCount(knownParts, 'knownParts');
  assertCount(maxSamples, 'maxSamples');
  const { width, height, data } = img;
  const sample: UnknownIdPixel[] = [];
  let count = 0;
  const n = width * height;
  for (let p = 0; p < n; p++) {
    const o = p * 4;
    const b = data[o + 2];
    const index = data[o] + 256 * data[o + 1];
    let ok: boolean;
    if (b === ID_KIND_BACKGROUND) ok = index === 0;
    else if (b === ID_KIND_PART) ok = index < knownParts;
    else if (b === ID_KIND_DAMAGE) ok = index < knownDamage;
    else ok = false;
    if (ok) continue;
    count++;
    if (sample.length < maxSamples) {
      sample.push({ x: p % width, y: Math.floor(p / width), b, index });
    }
  }
  return { count, sample };
}
