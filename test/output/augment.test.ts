import { describe, expect, it } from 'vitest';
import { augmentImage } from '../../src/output/augment';

function flat(width: number, height: number, value: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4).fill(value);
  for (let p = 3; p < rgba.length; p += 4) rgba[p] = 255;
  return rgba;
}

describe('image augmentation', () => {
  it('leaves the image alone without blur or noise', async () => {
    const image = flat(4, 4, 77);
    expect(await augmentImage(image, 4, 4, { blur: 0, noise: 0, quality: 90 }, 1)).toBe(image);
  });

  it('adds zero-mean noise of the asked spread, the same for the same seed', async () => {
    const image = flat(200, 200, 128);
    const noisy = await augmentImage(image, 200, 200, { blur: 0, noise: 6, quality: 90 }, 42);
    let sum = 0;
    let squares = 0;
    let n = 0;
    for (let p = 0; p < noisy.length; p += 4) {
      for (let c = 0; c < 3; c++) {
        const d = noisy[p + c] - 128;
        sum += d;
        squares += d * d;
        n++;
      }
      expect(noisy[p + 3]).toBe(255);
    }
    // 120,000 draws: the mean's standard error is 6 / sqrt(120000) = 0.017;
    // rounding to whole levels adds 1/12 to the variance: sqrt(36 + 1/12) = 6.007.
    expect(Math.abs(sum / n)).toBeLessThan(0.1);
    expect(Math.sqrt(squares / n)).toBeGreaterThan(5.9);
    expect(Math.sqrt(squares / n)).toBeLessThan(6.1);
    expect(image[0]).toBe(128);
    expect(await augmentImage(image, 200, 200, { blur: 0, noise: 6, quality: 90 }, 42)).toEqual(noisy);
    expect(await augmentImage(image, 200, 200, { blur: 0, noise: 6, quality: 90 }, 43)).not.toEqual(noisy);
  });

  it('spreads a point by the blur sigma without moving it', async () => {
    // One white pixel at (5, 5) on black. A Gaussian of sigma 1 keeps
    // 1 / (2 pi) = 0.159 of it in the centre pixel: about 41 of 255.
    const image = flat(11, 11, 0);
    image.fill(255, 4 * (5 * 11 + 5), 4 * (5 * 11 + 5) + 3);
    const blurred = await augmentImage(image, 11, 11, { blur: 1, noise: 0, quality: 90 }, 1);
    const at = (x: number, y: number) => blurred[4 * (y * 11 + x)];
    expect(at(5, 5)).toBeGreaterThan(35);
    expect(at(5, 5)).toBeLessThan(47);
    expect(at(4, 5)).toBe(at(6, 5));
    expect(at(5, 4)).toBe(at(5, 6));
    expect(at(4, 5)).toBeLessThan(at(5, 5));
    expect(at(0, 0)).toBe(0);
  });
});
