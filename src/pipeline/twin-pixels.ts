/**
 * The undamaged twin as a whole image on the Node side. A twin the page drew
 * only around the labels (RenderRequest.twin `labels`) is laid over a copy
 * of the damaged image, so every pixel outside its rectangle reads as
 * unchanged; no label reaches there, so no label's visible change moves.
 */
import type { RenderResult } from '../protocol';

/**
 * RGBA bytes of the twin, width x height, rows bottom-up like `color` (the
 * damaged image as the page sent it); null when the result has no twin.
 */
export function twinPixels(result: Pick<RenderResult, 'twin' | 'twinRect'>, color: Uint8Array, width: number, height: number): Uint8Array | null {
  if (result.twin === null || result.twinRect === null) return null;
  const rect = result.twinRect;
  const pixels = Buffer.from(result.twin, 'base64');
  if (pixels.length !== rect.width * rect.height * 4) {
    throw new Error(`twin has ${pixels.length} bytes, expected ${rect.width * rect.height * 4} for its ${rect.width}x${rect.height} rectangle`);
  }
  if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > width || rect.y + rect.height > height) {
    throw new Error(`twin rectangle ${rect.width}x${rect.height} at (${rect.x}, ${rect.y}) reaches outside the ${width}x${height} image`);
  }
  if (rect.width === width && rect.height === height) return pixels;
  const twin = Uint8Array.from(color);
  const row = rect.width * 4;
  for (let y = 0; y < rect.height; y++) {
    twin.set(pixels.subarray(y * row, (y + 1) * row), 4 * ((rect.y + y) * width + rect.x));
  }
  return twin;
}
