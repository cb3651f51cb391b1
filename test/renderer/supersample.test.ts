import { describe, expect, it } from 'vitest';
import { downsampleColor, linearToSrgbByte, reduceIds } from '../../src/renderer/supersample';

/** RGBA bytes of a `w` x `h` image from a list of [r, g, b, a] pixels, row-major. */
function image(pixels: number[][]): Uint8Array {
  return Uint8Array.from(pixels.flat());
}

/** An ID sample: kind in B, index in R + 256 G. */
function id(kind: number, index: number): number[] {
  return [index & 255, index >> 8, kind, 255];
}

describe('downsampleColor', () => {
  it('averages black and white in linear light: half of each is sRGB 188, not 128', () => {
    // Linear 0.5 in sRGB: 1.055 * 0.5^(1/2.4) - 0.055 = 0.7354, times 255 = 187.5.
    const samples = image([
      [0, 0, 0, 255], [255, 255, 255, 255],
      [255, 255, 255, 255], [0, 0, 0, 255],
    ]);
    expect([...downsampleColor(samples, 1, 1, 2)]).toEqual([188, 188, 188, 255]);
    expect(linearToSrgbByte(0.5)).toBe(188);
  });

  it('leaves every flat block of any byte value unchanged', () => {
    for (let v = 0; v < 256; v++) {
      const samples = new Uint8Array(3 * 3 * 4).fill(v);
      expect([...downsampleColor(samples, 1, 1, 3)]).toEqual([v, v, v, v]);
    }
  });

  it('reduces each block to the pixel at the same place, channels kept apart', () => {
    // 4x2 samples -> 2x1 pixels: left block pure red, right block pure blue.
    const red = [255, 0, 0, 255];
    const blue = [0, 0, 255, 255];
    const samples = image([red, red, blue, blue, red, red, blue, blue]);
    expect([...downsampleColor(samples, 2, 1, 2)]).toEqual([...red, ...blue]);
  });

  it('averages alpha without weighting the colour by it (no premultiplied darkening)', () => {
    // Two opaque white samples and two transparent white ones: still white.
    const samples = image([
      [255, 255, 255, 255], [255, 255, 255, 0],
      [255, 255, 255, 0], [255, 255, 255, 255],
    ]);
    expect([...downsampleColor(samples, 1, 1, 2)]).toEqual([255, 255, 255, 128]);
  });

  it('returns the samples themselves at factor 1', () => {
    const samples = image([[1, 2, 3, 4]]);
    expect(downsampleColor(samples, 1, 1, 1)).toBe(samples);
  });
});

describe('reduceIds', () => {
  const background = id(0, 0);
  const door = id(1, 3);
  const hood = id(1, 4);

  it('labels a pixel with a damage instance if one of its samples shows it', () => {
    const samples = image([door, door, door, id(2, 7)]);
    expect([...reduceIds(samples, 1, 1, 2)]).toEqual(id(2, 7));
  });

  it('gives two damage instances in one pixel to the one with more samples, then the lower index', () => {
    expect([...reduceIds(image([id(2, 9), id(2, 9), id(2, 1), door]), 1, 1, 2)]).toEqual(id(2, 9));
    expect([...reduceIds(image([id(2, 9), id(2, 1), door, door]), 1, 1, 2)]).toEqual(id(2, 1));
  });

  it('otherwise takes the id most samples have, the lower one on a tie', () => {
    expect([...reduceIds(image([background, background, background, door]), 1, 1, 2)]).toEqual(background);
    expect([...reduceIds(image([hood, door, hood, door]), 1, 1, 2)]).toEqual(door);
    expect([...reduceIds(image([hood, hood, door, background]), 1, 1, 2)]).toEqual(hood);
  });

  it('keeps indices above 255 intact and blocks in place', () => {
    // 2x2 samples per pixel, 2x1 pixels: the right block holds part 300.
    const big = id(1, 300);
    const samples = image([door, door, big, big, door, door, big, background]);
    expect([...reduceIds(samples, 2, 1, 2)]).toEqual([...door, ...big]);
  });
});

describe('linear to sRGB bytes', () => {
  it('rounds every 2 x 2 mix of neighbouring bytes as the sRGB formula does', () => {
    const linear = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    for (let v = 0; v < 255; v++) {
      for (let k = 1; k <= 3; k++) {
        // Two of each just under 11 fall exactly halfway on sRGB's linear segment; either byte is right.
        if (k === 2 && v < 11) continue;
        const samples = new Uint8Array(16);
        for (let i = 0; i < 4; i++) samples.set(i < k ? [v + 1, v + 1, v + 1, 255] : [v, v, v, 255], 4 * i);
        const expected = linearToSrgbByte((k * linear(v + 1) + (4 - k) * linear(v)) / 4);
        expect(downsampleColor(samples, 1, 1, 2)[0], `${k} of 4 at ${v + 1}`).toBe(expected);
      }
    }
  });
});
