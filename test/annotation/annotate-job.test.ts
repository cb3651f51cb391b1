import { describe, expect, it } from 'vitest';
import { annotateJob } from '../../src/annotation/annotate-job';
import type { PlacedDamage } from '../../src/protocol';

// A 5 x 4 ID image; every pixel is car part 0 (B = 1) unless painted.
function idImage(damage: [x: number, y: number, index: number][]) {
  const data = new Uint8Array(5 * 4 * 4);
  for (let p = 0; p < 20; p++) data.set([0, 0, 1, 255], 4 * p);
  for (const [x, y, index] of damage) data.set([index, 0, 2, 255], 4 * (y * 5 + x));
  return { width: 5, height: 4, data };
}

function dent(index: number, amodalPixels?: number): PlacedDamage {
  return { index, type: 'dent', part: 'door', centre: [0, 0, 0], normal: [0, 0, 1], request: { type: 'dent', radiusM: 0.1, depthM: 0.01, elongation: 1 }, segments: 1, amodalPixels };
}

const options = { segmentation: 'polygon' as const, minVisiblePixels: 2 };

describe('labels of one job', () => {
  it('lists no annotation for an image without damage', () => {
    expect(annotateJob(idImage([]), [], 1, options)).toEqual({ annotations: [], hidden: 0, ignored: 0, dropped: 0, faint: 0 });
  });

  it('keeps a one-pixel damage as an ignore region with its exact box', () => {
    // Pixel (2, 1): column-major index 2 * 4 + 1 = 9 -> counts [9, 1, 10] -> "91:".
    const { annotations, ignored } = annotateJob(idImage([[2, 1, 0]]), [dent(0, 1)], 1, options);
    expect(ignored).toBe(1);
    expect(annotations[0]).toMatchObject({ area: 1, bbox: [2, 1, 1, 1], iscrowd: 1, segmentation: { size: [4, 5], counts: '91:' } });
    expect(annotations[0].attributes.visible_fraction).toBe(1);
  });

  it('leaves a one-pixel damage out when small damage is dropped, and counts it', () => {
    // Damage 0 has 1 pixel (under 2), damage 1 has 2: only damage 1 stays.
    const labels = annotateJob(idImage([[0, 0, 0], [3, 2, 1], [4, 2, 1]]), [dent(0, 1), dent(1, 2)], 1, { ...options, small: 'drop' });
    expect(labels).toMatchObject({ dropped: 1, ignored: 0, hidden: 0 });
    expect(labels.annotations.map((a) => [a.area, a.bbox, a.iscrowd])).toEqual([[2, [3, 2, 2, 1], 0]]);
  });

  it('records how much of each label visibly changed and makes a faint one an ignore region', () => {
    // Damage 0: pixels (0,0) (1,0) (2,0) (3,0), one of them changed: 1/4.
    // Damage 1: pixels (0,3) (1,3), both changed: 2/2.
    const id = idImage([[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0], [0, 3, 1], [1, 3, 1]]);
    const changed = new Uint8Array(20);
    for (const [x, y] of [[2, 0], [0, 3], [1, 3], [4, 1]]) changed[y * 5 + x] = 1;
    const labels = annotateJob(id, [dent(0, 4), dent(1, 2)], 1, { ...options, changed, minVisibleChange: 0.5 });
    expect(labels).toMatchObject({ faint: 1, ignored: 1, dropped: 0 });
    expect(labels.annotations.map((a) => [a.iscrowd, a.attributes.visible_change])).toEqual([[1, 0.25], [0, 1]]);
  });

  it('names the part under most of its pixels when the part pass is given, not the one at its centre', () => {
    // A scratch along row 1 from x = 0 to 4, its centre (placed on the door)
    // at x = 2. Without damage, columns 0-2 show the hood (part 1), 3-4 the
    // door (part 0): three of its five pixels lie on the hood.
    const id = idImage([[0, 1, 0], [1, 1, 0], [2, 1, 0], [3, 1, 0], [4, 1, 0]]);
    const parts = idImage([]);
    for (const x of [0, 1, 2]) for (let y = 0; y < 4; y++) parts.data.set([1, 0, 1, 255], 4 * (y * 5 + x));
    const names = ['door', 'hood'];
    expect(annotateJob(id, [dent(0, 5)], 2, options).annotations[0].attributes.part).toBe('door');
    expect(annotateJob(id, [dent(0, 5)], 2, { ...options, parts: { id: parts, names } }).annotations[0].attributes.part).toBe('hood');
    // Two pixels each: the lower index wins the tie.
    const tie = idImage([[1, 1, 0], [2, 1, 0], [3, 1, 0], [4, 1, 0]]);
    expect(annotateJob(tie, [dent(0, 4)], 2, { ...options, parts: { id: parts, names } }).annotations[0].attributes.part).toBe('door');
    // A model's whole painted shell says less than the panel at the damage's centre, which stays.
    expect(annotateJob(id, [dent(0, 5)], 2, { ...options, parts: { id: parts, names: ['door', 'body'] } }).annotations[0].attributes.part).toBe('door');
    expect(annotateJob(id, [dent(0, 5)], 2, { ...options, parts: { id: parts, names: ['door', 'other'] } }).annotations[0].attributes.part).toBe('door');
  });

  it('writes RLE for a ring, which polygons cannot hold, with area = its pixels', () => {
    // The 3 x 3 block x 1-3, y 0-2 without its centre (2, 1): 8 pixels.
    const ring: [number, number, number][] = [];
    for (let x = 1; x <= 3; x++) for (let y = 0; y <= 2; y++) if (!(x === 2 && y === 1)) ring.push([x, y, 0]);
    const [a] = annotateJob(idImage(ring), [dent(0, 9)], 1, options).annotations;
    // Column-major, h = 4: 0000 1110 1010 1110 0000 -> runs [4, 3, 1, 1, 1, 1, 1, 3, 5].
    // From the fourth count on, each is written as its difference to the count
    // two before: 4, 3, 1, then -2, 0, 0, 0, 2, 4. One char each (48 + value),
    // -2 as the 5-bit group 11110 = 30 with no more groups -> 48 + 30 = 'N'.
    expect(a.segmentation).toEqual({ size: [4, 5], counts: '431N00024' });
    expect(a.area).toBe(8);
    expect(a.bbox).toEqual([1, 0, 3, 3]);
    expect(a.iscrowd).toBe(0);
    // 8 of the 9 pixels it would cover alone are visible.
    expect(a.attributes.visible_fraction).toBeCloseTo(8 / 9, 4);
  });

  it('writes a polygon along the pixel edges of a hole-free damage', () => {
    const [a] = annotateJob(idImage([[0, 0, 0], [1, 0, 0]]), [dent(0)], 1, options).annotations;
    // Two pixels side by side: the rectangle from (0, 0) to (2, 1).
    expect(a.segmentation).toHaveLength(1);
    const points = (a.segmentation as number[][])[0];
    const corners = new Set(Array.from({ length: points.length / 2 }, (_, i) => `${points[2 * i]},${points[2 * i + 1]}`));
    expect(corners).toEqual(new Set(['0,0', '2,0', '2,1', '0,1']));
    expect(a.area).toBe(2);
  });

  it('counts a damage no pixel shows as hidden, not as a label', () => {
    // Damage 0 is behind something: no pixel. Damage 1 shows one pixel.
    const labels = annotateJob(idImage([[4, 3, 1]]), [dent(0), dent(1)], 1, options);
    expect(labels.hidden).toBe(1);
    expect(labels.ignored).toBe(1);
    expect(labels.annotations.map((a) => a.bbox)).toEqual([[4, 3, 1, 1]]);
  });

  it('refuses an ID pass with a value that maps to no instance', () => {
    expect(() => annotateJob(idImage([[0, 0, 7]]), [dent(0)], 1, options)).toThrow(/map to no instance/);
  });
});

describe('part masks', () => {
  it('gives each visible part its own instance in the fixed part categories', async () => {
    const { annotateParts } = await import('../../src/annotation/annotate-job');
    // 5 x 4: part 0 ("door_front_left") everywhere but column 4, part 1 ("wheel_rear_left") there.
    const data = new Uint8Array(5 * 4 * 4);
    for (let p = 0; p < 20; p++) data.set([p % 5 === 4 ? 1 : 0, 0, 1, 255], 4 * p);
    const labels = annotateParts({ width: 5, height: 4, data }, ['door_front_left', 'wheel_rear_left'], 'rle');
    // door_front_left is the 11th name of the list (id 101 + 10); the wheel maps to "wheel" (id 101 + 23).
    expect(labels.map((l) => [l.category_id, l.area, l.bbox, l.attributes.part])).toEqual([
      [111, 16, [0, 0, 4, 4], 'door_front_left'],
      [124, 4, [4, 0, 1, 4], 'wheel_rear_left'],
    ]);
  });
});
