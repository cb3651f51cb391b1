/**
 * The undamaged twin as a whole image on the Node side. A twin the page drew
 * only around the labels (RenderRequest.twin `labels`) is laid over a copy
 * of the damaged image, so every pixel outside its rectangles reads as
 * unchanged; no label reaches there, so no label's visible change moves.
 */
import type { RenderResult } from '../protocol';

/**
 * RGBA bytes of the twin, width x height, rows bottom-up like `color` (the
 * damaged image as the page sent it); null when the result has no twin.
 */
export function twinPixels(result: Pick<RenderResult, 'twin' | 'twinRects'>, color: Uint8Array, width: number, height: number): Uint8Array | null {
  if (result.twin === null || result.twinRects === null) return null;
  const rects = result.twinRects;
  const pixels = result.twin;
  const expected = rects.reduce((n, r) => n + r.width * r.height * 4, 0);
  if (pixels.length !== expected) {
    throw new Error(`twin has ${pixels.length} bytes, expected ${expected} for its ${rects.map((r) => `${r.width}x${r.height}`).join(', ') || 'no'} rectangles`);
  }
  for (const r of rects) {
    if (r.x < 0 || r.y < 0 || r.x + r.width > width || r.y + r.height > height) {
      throw new Error(`twin rectangle ${r.width}x${r.height} at (${r.x}, ${r.y}) reaches outside the ${width}x${height} image`);
    }
  }
  if (rects.length === 1 && rects[0].width === width && rects[0].height === height) return pixels;
  const twin = Uint8Array.from(color);
  let at = 0;
  for (const r of rects) {
    const row = r.width * 4;
    for (let y = 0; y < r.height; y++, at += row) twin.set(pixels.subarray(at, at + row), 4 * ((r.y + y) * width + r.x));
  }
  return twin;
}
