/**
 * WebGL reads pixels bottom row first; images and masks are written top
 * row first. Both passes go through this one function, so they stay aligned.
 */
export function flipRows(pixels: Uint8Array, width: number, height: number, channels = 4): Uint8Array {
  const row = width * channels;
  if (pixels.length !== row * height) {
    throw new Error(`pixel buffer has ${pixels.length} bytes, expected ${row * height} for ${width}x${height}x${channels}`);
  }
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    out.set(pixels.subarray(y * row, (y + 1) * row), (height - 1 - y) * row);
  }
  return out;
}
