import { describe, expect, it } from 'vitest';
import { MAX_TWIN_RECTS, twinRects } from '../../src/renderer/twin-rects';

const W = 40;
const H = 30;

/** A W x H ID pass with damage `index` at each of `pixels`. */
function idPass(damage: [number, number, number][]): Uint8Array {
  const id = new Uint8Array(W * H * 4);
  for (const [index, x, y] of damage) id.set([index & 255, index >> 8, 2, 255], 4 * (y * W + x));
  return id;
}

describe('twinRects', () => {
  it('keeps damage far apart in rectangles of its own, with the margin round each', () => {
    const rects = twinRects(idPass([[0, 5, 5], [0, 7, 6], [1, 30, 20]]), W, H, 2);
    expect(rects).toEqual([
      { x: 3, y: 3, width: 7, height: 6 },
      { x: 28, y: 18, width: 5, height: 5 },
    ]);
  });

  it('joins rectangles that meet, keeps them in the image, and gives none without damage', () => {
    expect(twinRects(idPass([[0, 0, 0], [1, 4, 1]]), W, H, 2)).toEqual([{ x: 0, y: 0, width: 7, height: 4 }]);
    expect(twinRects(idPass([[3, 1, 29]]), W, H, 2)).toEqual([{ x: 0, y: 27, width: 4, height: 3 }]);
    expect(twinRects(idPass([]), W, H, 2)).toEqual([]);
  });

  it('joins the closest while there are too many, still holding every damage pixel', () => {
    const damage: [number, number, number][] = [...Array(8).keys()].map((i) => [i, 4 * i + 2, i % 2 ? 25 : 3]);
    const rects = twinRects(idPass(damage), W, H, 1);
    expect(rects.length).toBe(MAX_TWIN_RECTS);
    for (const [, x, y] of damage) {
      expect(rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)).toBe(true);
    }
  });
});
