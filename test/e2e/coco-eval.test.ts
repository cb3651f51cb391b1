import { describe, expect, it } from 'vitest';
import { cocoAveragePrecision, type CocoAnnotation } from './coco-eval';

// 4 x 4 images; masks as column-major RLE strings worked out by hand.
// "04<" is counts [0, 4, 12]: the first column; "<4" is [12, 4]: the last.
const FIRST_COLUMN = { size: [4, 4] as [number, number], counts: '04<' };
const LAST_COLUMN = { size: [4, 4] as [number, number], counts: '<4' };

function ann(id: number, image: number, segmentation = FIRST_COLUMN, bbox = [0, 0, 1, 4], iscrowd: 0 | 1 = 0): CocoAnnotation {
  return { id, image_id: image, category_id: 1, segmentation, area: 4, bbox, iscrowd, score: 1 };
}

describe('COCO average precision, by the reference rules', () => {
  it('is 1 for ground truth scored against itself', () => {
    const gt = [ann(1, 1), ann(2, 1, LAST_COLUMN, [3, 0, 1, 4]), ann(3, 2)];
    expect(cocoAveragePrecision(gt, gt, 'segm')).toBeCloseTo(1, 12);
    expect(cocoAveragePrecision(gt, gt, 'bbox')).toBeCloseTo(1, 12);
  });

  it('is 51/101 when half the objects are found: recall points 0 to 0.5 have precision 1', () => {
    const gt = [ann(1, 1), ann(2, 2)];
    expect(cocoAveragePrecision(gt, [ann(1, 1)], 'segm')).toBeCloseTo(51 / 101, 12);
  });

  it('counts a box of IoU 0.72 as found at 5 of the 10 thresholds', () => {
    // Ground truth 10 x 10, detection 10 x 7.2 inside it: IoU 72 / 100.
    const gt = [ann(1, 1, FIRST_COLUMN, [0, 0, 10, 10])];
    const dt = [ann(1, 1, FIRST_COLUMN, [0, 0, 10, 7.2])];
    expect(cocoAveragePrecision(gt, dt, 'bbox')).toBeCloseTo(0.5, 12);
  });

  it('neither rewards nor punishes a detection inside a crowd region', () => {
    // A false detection ranked first halves precision at every recall point...
    const gt = [ann(1, 1)];
    const stray = ann(9, 1, LAST_COLUMN, [3, 0, 1, 4]);
    expect(cocoAveragePrecision(gt, [stray, ann(1, 1)], 'segm')).toBeCloseTo(0.5, 12);
    // ...unless it lies in an ignore region.
    const crowd = ann(2, 1, LAST_COLUMN, [3, 0, 1, 4], 1);
    expect(cocoAveragePrecision([...gt, crowd], [stray, ann(1, 1)], 'segm')).toBeCloseTo(1, 12);
  });
});
