import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { validateDataset } from '../../src/pipeline/validate-dataset';

// A 4 x 3 image and its twin. They differ (by 100 levels) in the 2 x 2 block
// x 1-2, y 0-1. Instance 1 covers that block plus (1,2) and (2,2): 6 pixels,
// 4 of them changed. Instance 2 is the single pixel (0,2), unchanged.
// Column-major RLE of instance 1 (h = 3): column 0 zeros (3), columns 1 and 2
// ones (6), column 3 zeros (3) -> counts [3, 6, 3], each under 16 so one
// character 48 + count: "363".
// Instance 2: pixel index x*h + y = 0*3 + 2 = 2 -> counts [2, 1, 9] -> "219".
async function dataset(overrides: (coco: any) => void = () => undefined): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dentfarm-validate-'));
  mkdirSync(join(dir, 'images'));
  mkdirSync(join(dir, 'twins'));
  const twin = Buffer.alloc(4 * 3 * 3, 50);
  const image = Buffer.from(twin);
  for (const [x, y] of [[1, 0], [2, 0], [1, 1], [2, 1]]) image.fill(150, 3 * (y * 4 + x), 3 * (y * 4 + x) + 3);
  await sharp(image, { raw: { width: 4, height: 3, channels: 3 } }).png().toFile(join(dir, 'images/a.png'));
  await sharp(twin, { raw: { width: 4, height: 3, channels: 3 } }).png().toFile(join(dir, 'twins/a.png'));
  const coco = {
    images: [{ id: 1, file_name: 'images/a.png', width: 4, height: 3, dentfarm: { twin_file_name: 'twins/a.png' } }],
    categories: [{ id: 1, name: 'dent' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, segmentation: { size: [3, 4], counts: '363' }, area: 6, bbox: [1, 0, 2, 3], iscrowd: 0 },
      { id: 2, image_id: 1, category_id: 1, segmentation: { size: [3, 4], counts: '219' }, area: 1, bbox: [0, 2, 1, 1], iscrowd: 0 },
    ],
  };
  overrides(coco);
  writeFileSync(join(dir, 'annotations.json'), JSON.stringify(coco));
  return dir;
}

describe('dentfarm validate', () => {
  it('finds no fault in a consistent dataset and measures fidelity against the twin', async () => {
    const report = await validateDataset(await dataset());
    expect(report.faults).toEqual([]);
    expect(report.pairs).toBe(1);
    // Every changed pixel is inside a label: precision 1. Labelled 7, changed 4.
    // Instance 1 changed over 4/6 >= 1/2, instance 2 over 0/1: recall 1/2.
    expect(report.fidelity).toEqual([
      { category: 'dent', instances: 2, ignoreRegions: 0, pixelPrecision: 1, pixelRecall: 4 / 7, instanceRecall: 0.5 },
    ]);
  });

  it('leaves ignore regions out of the recalls but counts changes inside them as labelled', async () => {
    // Instance 2 becomes an ignore region: only instance 1 counts, 4 of 6 changed.
    const report = await validateDataset(await dataset((coco) => (coco.annotations[1].iscrowd = 1)));
    expect(report.fidelity).toEqual([
      { category: 'dent', instances: 1, ignoreRegions: 1, pixelPrecision: 1, pixelRecall: 4 / 6, instanceRecall: 1 },
    ]);
  });

  it('names each fault on its own line', async () => {
    const dir = await dataset((coco) => {
      coco.annotations[0].area = 5;
      coco.annotations[1].bbox = [0, 0, 1, 1];
      coco.annotations.push({ id: 2, image_id: 9, category_id: 1, segmentation: { size: [3, 4], counts: '219' }, area: 1, bbox: [0, 2, 1, 1], iscrowd: 0 });
      coco.images.push({ id: 2, file_name: 'images/missing.png', width: 4, height: 3 });
      coco.images[0].width = 5;
    });
    const report = await validateDataset(dir);
    expect(report.faults).toEqual([
      'image 1: images/a.png is 4x3, listed as 5x3',
      'image 1: twins/a.png is 4x3, listed as 5x3',
      'image 2: images/missing.png is missing',
      'annotation 1: RLE size [3,4] is not [3, 5]',
      'annotation 2: RLE size [3,4] is not [3, 5]',
      'annotation 2: id is used twice',
      'annotation 2: image_id 9 is not an image',
    ]);
  });

  it('checks area and box against the decoded mask', async () => {
    const report = await validateDataset(
      await dataset((coco) => {
        coco.annotations[0].area = 5;
        coco.annotations[1].bbox = [0, 0, 1, 1];
      }),
    );
    expect(report.faults).toEqual(['annotation 1: area 5 but the mask has 6 pixels', 'annotation 2: bbox [0,0,1,1] but the mask spans [0,2,1,1]']);
  });
});
