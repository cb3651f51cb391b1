/**
 * Binary instance masks: the pixel-exact footprint of one annotated object,
 * and the two measurements COCO needs from it (area and bounding box).
 *
 * @module
 */

/**
 * A binary mask over an image, one byte per pixel.
 *
 * `data[y * width + x]` is the pixel in column `x` (0 = left) and row `y`
 * (0 = top). Producers in this package write only 0 and 1; every reader here
 * treats any non-zero byte as foreground, so a stray 255 from elsewhere cannot
 * desynchronise run-length encoding or tracing.
 */
export interface InstanceMask {
  /** Width in pixels; integer, 0 or more. */
  readonly width: number;
  /** Height in pixels; integer, 0 or more. */
  readonly height: number;
  /** Row-major pixels, row 0 on top; length exactly `width * height`. */
  readonly data: Uint8Array;
}

/**
 * A bounding box in COCO form: `[x, y, w, h]`, where `x`/`y` are the column
 * and row of the left/top pixel and `w`/`h` are extents in whole pixels.
 */
export type Bbox = [x: number, y: number, w: number, h: number];

/**
 * Throws a `RangeError` unless `width` and `height` are integers >= 0.
 *
 * @param what - Name used in the error message.
 */
export function assertDimensions(
  width: number,
  height: number,
  what = 'image',
): void {
  if (!Number.isSafeInteger(width) || width < 0) {
    throw new RangeError(`${what} width must be an integer >= 0: ${width}`);
  }
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new RangeError(`${what} height must be an integer >= 0: ${height}`);
  }
}

/**
 * Throws a `RangeError` if `mask` has bad dimensions or its buffer length is
 * not `width * height`. Called by every mask consumer because a short buffer
 * would otherwise read `undefined` as background and produce a wrong label
 * without any error.
 */
export function assertMask(mask: InstanceMask): void {
  assertDimensions(mask.width, mask.height, 'mask');
  const expected = mask.width * mask.height;
  if (mask.data.length !== expected) {
    throw new RangeError(
      `mask data has ${mask.data.length} bytes, expected ${expected} ` +
        `(${mask.width} x ${mask.height})`,
    );
  }
}

/**
 * Creates an all-background mask.
 *
 * @param width - Width in pixels, integer >= 0.
 * @param height - Height in pixels, integer >= 0.
 */
export function createMask(width: number, height: number): InstanceMask {
  assertDimensions(width, height, 'mask');
  return { width, height, data: new Uint8Array(width * height) };
}

/**
 * Number of foreground pixels, in pixels (integer in `[0, width*height]`).
 * This is the COCO `area` of an RLE-encoded instance.
 */
export function maskArea(mask: InstanceMask): number {
  assertMask(mask);
  const { data } = mask;
  let area = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0) area++;
  }
  return area;
}

/**
 * Tight bounding box of the foreground in COCO `[x, y, w, h]` form, in
 * pixels. A lone pixel at column 3, row 5 gives `[3, 5, 1, 1]`; a mask with
 * no foreground gives `[0, 0, 0, 0]` (what pycocotools reports for an empty
 * RLE, so both code paths agree).
 */
export function maskBbox(mask: InstanceMask): Bbox {
  assertMask(mask);
  const { width, height, data } = mask;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] === 0) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  if (maxX < 0) return [0, 0, 0, 0];
  return [minX, minY, maxX - minX + 1, maxY - minY + 1];
}
