import { describe, expect, it } from 'vitest';
import { twinPixels } from '../../src/pipeline/twin-pixels';

// A 4 x 3 damaged image, every byte 10; the twin's pixels are 200 and up.
const color = new Uint8Array(4 * 3 * 4).fill(10);
const bytes = (length: number, value = 200) => Buffer.alloc(length, value);

describe('twinPixels', () => {
  it('lays the rectangles of a twin drawn around the labels over the damaged image, rows bottom-up', () => {
    const twin = twinPixels(
      {
        twin: Buffer.concat([Buffer.alloc(2 * 1 * 4, 200), Buffer.alloc(1 * 2 * 4, 201)]),
        twinRects: [{ x: 1, y: 2, width: 2, height: 1 }, { x: 0, y: 0, width: 1, height: 2 }],
      },
      color,
      4,
      3,
    )!;
    const value = (p: number) => twin[4 * p];
    // Row 2 (the top row, read bottom-up), columns 1 and 2; then column 0 of rows 0 and 1.
    expect([...Array(12).keys()].filter((p) => value(p) === 200)).toEqual([9, 10]);
    expect([...Array(12).keys()].filter((p) => value(p) === 201)).toEqual([0, 4]);
    expect(color.every((b) => b === 10)).toBe(true);
  });

  it('takes a whole twin as it is, no rectangles as no change, and no twin as none', () => {
    expect([...twinPixels({ twin: bytes(48), twinRects: [{ x: 0, y: 0, width: 4, height: 3 }] }, color, 4, 3)!]).toEqual(Array(48).fill(200));
    expect([...twinPixels({ twin: bytes(0), twinRects: [] }, color, 4, 3)!]).toEqual([...color]);
    expect(twinPixels({ twin: null, twinRects: null }, color, 4, 3)).toBeNull();
  });

  it('refuses a twin whose size or place does not fit its rectangles and image', () => {
    expect(() => twinPixels({ twin: bytes(12), twinRects: [{ x: 0, y: 0, width: 2, height: 2 }] }, color, 4, 3)).toThrow(/expected 16 for its 2x2 rectangles/);
    expect(() => twinPixels({ twin: bytes(16), twinRects: [{ x: 3, y: 0, width: 2, height: 2 }] }, color, 4, 3)).toThrow(/reaches outside the 4x3 image/);
  });
});
