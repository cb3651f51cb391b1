import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writeContactSheet } from '../../src/output/contact-sheet';

describe('contact sheet', () => {
  it('tiles the images and outlines each damage in its class colour', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dentfarm-sheet-'));
    // Two 40 x 30 grey images; the first has a dent on the block x 10-19, y 12-21.
    const grey = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toBuffer();
    writeFileSync(join(dir, 'a.png'), grey);
    writeFileSync(join(dir, 'b.png'), grey);
    // Column-major RLE, h = 30: 10 columns of 30 zeros = 300, then per dent
    // column 12 zeros, 10 ones, 8 zeros -> counts [312, 10, 20, 10, ..., 20, 10, 608].
    const counts = [312, 10];
    for (let c = 1; c < 10; c++) counts.push(20, 10);
    counts.push(30 * 40 - 312 - 10 * 10 - 9 * 20);
    const coco = {
      images: [
        { id: 1, file_name: 'a.png', width: 40, height: 30 },
        { id: 2, file_name: 'b.png', width: 40, height: 30 },
      ],
      annotations: [{ id: 1, image_id: 1, category_id: 1, segmentation: { size: [30, 40], counts }, area: 100, bbox: [10, 12, 10, 10], iscrowd: 0 }],
      categories: [{ id: 1, name: 'dent', supercategory: 'body_damage' }],
    };
    writeFileSync(join(dir, 'annotations.json'), JSON.stringify(coco));
    const out = join(dir, 'sheet.png');
    const summary = await writeContactSheet(dir, out, { count: 24, columns: 2, tileWidth: 40 });
    expect(summary).toMatchObject({ images: 2, outlines: 1 });

    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([80, 30]);
    const n = info.channels;
    const at = (x: number, y: number) => [...data.subarray(n * (y * 80 + x), n * (y * 80 + x) + 3)];
    const dentYellow = [255, 214, 0];
    // Left, right and bottom edges of the block are outlined (the label sits above it)...
    for (let y = 13; y <= 21; y++) {
      expect(at(10, y)).toEqual(dentYellow);
      expect(at(19, y)).toEqual(dentYellow);
    }
    for (let x = 10; x <= 19; x++) expect(at(x, 21)).toEqual(dentYellow);
    // ...its inside and the second image stay grey.
    expect(at(15, 16)).toEqual([90, 90, 90]);
    expect(at(40 + 15, 16)).toEqual([90, 90, 90]);
  });
});
