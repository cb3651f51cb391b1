import { describe, it, expect } from 'vitest';
import {
  compressRle,
  decodeRle,
  decompressRle,
  encodeRle,
  encodeRleString,
  rleArea,
  rleBbox,
} from '../../src/annotation/rle';
import { maskArea, maskBbox } from '../../src/annotation/mask';
import { makeRng, randomInt, randomMask } from './helpers';

// Properties rather than vectors: each follows from the format definition
// (RLE is a lossless re-ordering of the pixels; area and box are functions of
// the pixel set alone), so they must hold for any mask.

describe('RLE round trips on random masks', () => {
  const rng = makeRng(20240611);
  const cases = Array.from({ length: 400 }, () => {
    const width = randomInt(rng, 0, 13);
    const height = randomInt(rng, 0, 11);
    // Densities near 0 and 1 give long runs (multi-character counts, large
    // deltas); mid densities give many short runs.
    const density = [0, 0.05, 0.3, 0.5, 0.7, 0.95, 1][randomInt(rng, 0, 6)];
    return randomMask(rng, width, height, density);
  });

  it('decodes every encoded mask back to the same pixels', () => {
    for (const m of cases) {
      const rle = encodeRle(m);
      expect(rle.size).toEqual([m.height, m.width]);
      expect(decodeRle(rle)).toEqual(m);
      expect(decodeRle(encodeRleString(m))).toEqual(m);
    }
  });

  it('produces counts that start with zeros and cover every pixel', () => {
    for (const m of cases) {
      const { counts } = encodeRle(m);
      // The leading zero-run is empty exactly when pixel (0, 0) is set.
      if (m.data.length > 0) expect(counts[0] === 0).toBe(m.data[0] === 1);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(m.width * m.height);
      // Only the very first run may be empty.
      expect(counts.slice(1).every((n) => n > 0)).toBe(true);
    }
  });

  it('agrees with the mask on area and bounding box', () => {
    for (const m of cases) {
      const rle = encodeRle(m);
      expect(rleArea(rle)).toBe(maskArea(m));
      expect(rleBbox(rle)).toEqual(maskBbox(m));
      const packed = encodeRleString(m);
      expect(rleArea(packed)).toBe(maskArea(m));
      expect(rleBbox(packed)).toEqual(maskBbox(m));
    }
  });
});

describe('RLE string compression', () => {
  it('round-trips arbitrary counts, including big negative deltas', () => {
    const rng = makeRng(7);
    for (let t = 0; t < 300; t++) {
      const counts = Array.from({ length: randomInt(rng, 0, 20) }, () =>
        // Mixing tiny and huge counts makes deltas swing both ways.
        rng() < 0.5 ? randomInt(rng, 0, 40) : randomInt(rng, 0, 5_000_000),
      );
      const s = compressRle(counts);
      // Every character is in the alphabet '0' (48) .. 'o' (111).
      expect(/^[0-o]*$/.test(s)).toBe(true);
      expect(decompressRle(s)).toEqual(counts);
    }
  });

  it('round-trips every count from 0 to 4100 in every delta position', () => {
    // 4100 > 32 * 32 * 4 crosses the 1-, 2- and 3-character boundaries; the
    // neighbours 0 and 4100 make the index-3 delta both positive and negative.
    for (let n = 0; n <= 4100; n++) {
      const counts = [n, 0, 4100 - n, n, 4100, 0];
      expect(decompressRle(compressRle(counts))).toEqual(counts);
    }
  });
});
