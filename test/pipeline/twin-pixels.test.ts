import { describe, expect, it } from 'vitest';
import { twinPixels } from '../../src/pipeline/twin-pixels';

// A 4 x 3 damaged image, every byte 10; the twin's pixels are 200.
const color = new Uint8Array(4 * 3 * 4).fill(10);
const base64 = (bytes: number) => Buffer.alloc(bytes, 200).toString('base64');

describe('twinPixels', () => {
  it('lays a twin drawn around the labels over the damaged image, rows bottom-up', () => {
    const twin = twinPixels({ twin: base64(2 * 1 * 4), twinRect: { x: 1, y: 2, width: 2, height: 1 } }, color, 4, 3)!;
    const changed = [...Array(12).keys()].filter((p) => twin[4 * p] === 200);
    // Row 2 (the top row, read bottom-up), columns 1 and 2.
    expect(changed).toEqual([9, 10]);
    expect(color.every((b) => b === 10)).toBe(true);
  });

  it('takes a whole twin as it is, an empty rectangle as no change, and no twin as none', () => {
    expect([...twinPixels({ twin: base64(48), twinRect: { x: 0, y: 0, width: 4, height: 3 } }, color, 4, 3)!]).toEqual(Array(48).fill(200));
    expect([...twinPixels({ twin: '', twinRect: { x: 0, y: 0, width: 0, height: 0 } }, color, 4, 3)!]).toEqual([...color]);
    expect(twinPixels({ twin: null, twinRect: null }, color, 4, 3)).toBeNull();
  });

  it('refuses a twin whose size or place does not fit its rectangle and image', () => {
    expect(() => twinPixels({ twin: base64(12), twinRect: { x: 0, y: 0, width: 2, height: 2 } }, color, 4, 3)).toThrow(/expected 16 for its 2x2/);
    expect(() => twinPixels({ twin: base64(16), twinRect: { x: 3, y: 0, width: 2, height: 2 } }, color, 4, 3)).toThrow(/reaches outside the 4x3 image/);
  });
});
