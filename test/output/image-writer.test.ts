import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/output/image-writer';

// 3x2 RGBA, row 0 on top: red, green, blue / white, black, grey.
const pixels = new Uint8Array([
  255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255,
  255, 255, 255, 255, 0, 0, 0, 255, 128, 128, 128, 255,
]);

describe('image writer', () => {
  it('writes PNG losslessly, top row first, without alpha', async () => {
    const png = await encodeImage(pixels, 3, 2, 'png', 90);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([3, 2, 3]);
    expect([...data]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]);
  });

  it('writes JPEG and WebP on request', async () => {
    expect((await sharp(await encodeImage(pixels, 3, 2, 'jpeg', 90)).metadata()).format).toBe('jpeg');
    expect((await sharp(await encodeImage(pixels, 3, 2, 'webp', 90)).metadata()).format).toBe('webp');
  });
});
