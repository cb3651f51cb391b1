import { describe, it, expect } from 'vitest';
import {
  findUnknownIds,
  ID_KIND_BACKGROUND,
  ID_KIND_DAMAGE,
  ID_KIND_PART,
  splitInstanceMasks,
} from '../../src/annotation/id-buffer';
import type { IdImage } from '../../src/annotation/id-buffer';
import { rowsOf } from './helpers';

/** Builds an ID image from [r, g, b] triples, row-major, top row first. */
function idImage(width: number, height: number, rgb: number[][]): IdImage {
  const data = new Uint8Array(width * height * 4);
  rgb.forEach(([r, g, b], p) => {
    // Alpha 255, as the renderer writes it; it is not part of the ID.
    data.set([r, g, b, 255], p * 4);
  });
  return { width, height, data };
}

describe('ID kind constants', () => {
  it('match the B byte values of the ID pass', () => {
    expect([ID_KIND_BACKGROUND, ID_KIND_PART, ID_KIND_DAMAGE]).toEqual([
      0, 1, 2,
    ]);
  });
});

describe('splitInstanceMasks', () => {
  // 3 x 2, top row first:
  //   (0,0,0) bg      (0,0,1) part 0   (0,0,2) damage 0
  //   (4,1,2) dmg 260 (0,0,1) part 0   (0,0,2) damage 0
  // R=4, G=1 -> index 4 + 256 * 1 = 260.
  const img = idImage(3, 2, [
    [0, 0, 0],
    [0, 0, 1],
    [0, 0, 2],
    [4, 1, 2],
    [0, 0, 1],
    [0, 0, 2],
  ]);

  it('cuts one mask per damage index, reading R + 256 * G', () => {
    const masks = splitInstanceMasks(img, ID_KIND_DAMAGE);
    expect([...masks.keys()]).toEqual([0, 260]);
    // Damage 0 is the right column; 260 is the bottom-left pixel.
    expect(rowsOf(masks.get(0)!)).toEqual(['..#', '..#']);
    expect(rowsOf(masks.get(260)!)).toEqual(['...', '#..']);
  });

  it('keeps row 0 of the image as row 0 of the mask', () => {
    // Part 0 occupies the middle column of both rows.
    const parts = splitInstanceMasks(img, ID_KIND_PART);
    expect([...parts.keys()]).toEqual([0]);
    expect(rowsOf(parts.get(0)!)).toEqual(['.#.', '.#.']);
    expect(parts.get(0)!.width).toBe(3);
    expect(parts.get(0)!.height).toBe(2);
  });

  it('orders masks by index, not by first appearance', () => {
    // Index 5 appears first (pixel 0), index 1 second.
    const masks = splitInstanceMasks(
      idImage(2, 1, [
        [5, 0, 1],
        [1, 0, 1],
      ]),
      ID_KIND_PART,
    );
    expect([...masks.keys()]).toEqual([1, 5]);
  });

  it('ignores alpha', () => {
    // Same ID with alpha 0: still damage 3.
    const image: IdImage = {
      width: 1,
      height: 1,
      data: Uint8Array.of(3, 0, 2, 0),
    };
    expect([...splitInstanceMasks(image, ID_KIND_DAMAGE).keys()]).toEqual([3]);
  });

  it('accepts canvas-style clamped byte arrays', () => {
    const image: IdImage = {
      width: 1,
      height: 1,
      data: Uint8ClampedArray.of(0, 0, 2, 255),
    };
    expect(rowsOf(splitInstanceMasks(image, ID_KIND_DAMAGE).get(0)!)).toEqual([
      '#',
    ]);
  });

  it('returns an empty map when the kind does not occur', () => {
    expect(splitInstanceMasks(img, 7).size).toBe(0);
  });

  it('rejects a buffer that is not width * height * 4 bytes', () => {
    const bad: IdImage = { width: 2, height: 2, data: new Uint8Array(15) };
    expect(() => splitInstanceMasks(bad, ID_KIND_PART)).toThrow(RangeError);
  });
});

describe('findUnknownIds', () => {
  // 4 x 2 with knownDamage = 1 (index 0 valid) and knownParts = 2 (0, 1):
  //   row 0: (0,0,0) ok | (7,0,0) background with index 7: bad |
  //          (1,0,1) part 1 ok | (2,0,1) part 2: bad
  //   row 1: (0,0,2) damage 0 ok | (1,0,2) damage 1: bad |
  //          (0,0,3) kind 3: bad | (0,1,2) damage 0 + 256 * 1 = 256: bad
  const img = idImage(4, 2, [
    [0, 0, 0],
    [7, 0, 0],
    [1, 0, 1],
    [2, 0, 1],
    [0, 0, 2],
    [1, 0, 2],
    [0, 0, 3],
    [0, 1, 2],
  ]);

  it('reports every pixel outside the known kinds and index ranges', () => {
    expect(findUnknownIds(img, 1, 2)).toEqual({
      count: 5,
      sample: [
        { x: 1, y: 0, b: 0, index: 7 },
        { x: 3, y: 0, b: 1, index: 2 },
        { x: 1, y: 1, b: 2, index: 1 },
        { x: 2, y: 1, b: 3, index: 0 },
        { x: 3, y: 1, b: 2, index: 256 },
      ],
    });
  });

  it('caps the sample but still counts every pixel', () => {
    const report = findUnknownIds(img, 1, 2, 2);
    expect(report.count).toBe(5);
    expect(report.sample).toEqual([
      { x: 1, y: 0, b: 0, index: 7 },
      { x: 3, y: 0, b: 1, index: 2 },
    ]);
  });

  it('flags unknown kinds and indexed background at any range', () => {
    // Widening the ranges (damage 0..256, parts 0..2) leaves only the
    // kind-3 pixel and the background pixel with index 7.
    expect(findUnknownIds(img, 257, 3).count).toBe(2);
  });

  it('finds nothing when every value names a known instance', () => {
    const clean = idImage(2, 1, [
      [0, 0, 0],
      [0, 0, 2],
    ]);
    expect(findUnknownIds(clean, 1, 0)).toEqual({ count: 0, sample: [] });
  });

  it('treats every damage pixel as unknown when no damage was placed', () => {
    // Damage pixels are at (0,1), (1,1), (3,1) -> 3, plus the 2 that are
    // bad regardless of ranges (bg index 7, kind 3): 5. Parts widened to 3.
    expect(findUnknownIds(img, 0, 3).count).toBe(5);
  });

  it('rejects negative or fractional counts', () => {
    expect(() => findUnknownIds(img, -1, 0)).toThrow(RangeError);
    expect(() => findUnknownIds(img, 0, 1.5)).toThrow(RangeError);
  });
});
