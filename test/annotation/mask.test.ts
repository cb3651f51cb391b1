import { describe, it, expect } from 'vitest';
import {
  createMask,
  maskArea,
  maskBbox,
} from '../../src/annotation/mask';
import { maskFromRows } from './helpers';

describe('maskArea', () => {
  it('counts foreground pixels', () => {
    // '#..' has 1 set pixel and '.##' has 2: 3 in all.
    expect(maskArea(maskFromRows(['#..', '.##']))).toBe(3);
  });

  it('treats any non-zero byte as foreground', () => {
    // Bytes 0, 255, 1, 0: two are non-zero.
    const m = { width: 2, height: 2, data: Uint8Array.of(0, 255, 1, 0) };
    expect(maskArea(m)).toBe(2);
  });

  it('is zero for an empty and for a zero-sized mask', () => {
    expect(maskArea(createMask(4, 3))).toBe(0);
    expect(maskArea(createMask(0, 0))).toBe(0);
  });

  it('rejects a buffer whose length is not width * height', () => {
    // 2 x 2 needs 4 bytes; 3 would read pixel 3 as undefined.
    const m = { width: 2, height: 2, data: new Uint8Array(3) };
    expect(() => maskArea(m)).toThrow(RangeError);
  });
});

describe('maskBbox', () => {
  it('gives [3, 5, 1, 1] for a lone pixel at column 3, row 5', () => {
    // x, y are the pixel's own column/row; it is 1 pixel wide and tall.
    const m = createMask(6, 8);
    m.data[5 * 6 + 3] = 1;
    expect(maskBbox(m)).toEqual([3, 5, 1, 1]);
  });

  it('spans from the top-left-most to the bottom-right-most pixel', () => {
    // Set pixels: (1,1) and (3,2). Columns 1..3 -> x 1, w 3; rows 1..2 ->
    // y 1, h 2.
    const m = maskFromRows(['....', '.#..', '...#', '....']);
    expect(maskBbox(m)).toEqual([1, 1, 3, 2]);
  });

  it('covers the whole image when the corners are set', () => {
    // (0,0) and (4,2) in a 5 x 3 image: x 0, y 0, w 5, h 3.
    expect(maskBbox(maskFromRows(['#....', '.....', '....#']))).toEqual([
      0, 0, 5, 3,
    ]);
  });

  it('gives [0, 0, 0, 0] for a mask with no foreground', () => {
    expect(maskBbox(createMask(5, 5))).toEqual([0, 0, 0, 0]);
    expect(maskBbox(createMask(0, 7))).toEqual([0, 0, 0, 0]);
  });
});

describe('createMask', () => {
  it('rejects negative or fractional sizes', () => {
    expect(() => createMask(-1, 2)).toThrow(RangeError);
    expect(() => createMask(2, 1.5)).toThrow(RangeError);
  });
});
