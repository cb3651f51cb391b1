import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRle } from '../../src/annotation/rle';
import { rasterizePolygons } from '../../src/annotation/polygon';
import { exportYolo, type YoloExportSummary } from '../../src/export/yolo-export';
import { Logger } from '../../src/log/logger';
import { runCli } from '../e2e/run-cli';
import { HEIGHT, WIDTH, writeFixture, type Fixture } from '../report/fixture-dataset';

let fixture: Fixture;
let out: string;
let summary: YoloExportSummary;

const quiet = new Logger(new Writable({ write: (_chunk, _encoding, done) => done() }));
const label = (split: string, stem: string) => readFileSync(join(out, 'labels', split, `${stem}.txt`), 'utf8');

beforeAll(async () => {
  fixture = await writeFixture();
  out = join(fixture.dir, 'yolo');
  summary = await exportYolo(fixture.dir, out, quiet);
});

afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

describe('YOLO segmentation export', () => {
  it('writes one polygon per rectangle, corners clockwise from the top left, over width 120 and height 100', () => {
    // Dent [5, 5, 10, 10]: corners (5, 5) (15, 5) (15, 15) (5, 15). Scratch [60, 50, 40, 30].
    expect(label('train', 'dentfarm-sedan__white__clear__street__front__0')).toBe(
      '0 0.041667 0.05 0.125 0.05 0.125 0.15 0.041667 0.15\n1 0.5 0.5 0.833333 0.5 0.833333 0.8 0.5 0.8\n',
    );
  });

  it('leaves ignore regions out', () => {
    // Dent [10, 0, 100, 100]; the 2 x 2 ignore region at the corner is not written.
    expect(label('train', 'dentfarm-sedan__white__overcast__street__front__0')).toBe('0 0.083333 0 0.916667 0 0.916667 1 0.083333 1\n');
  });

  it('writes a mask of two pieces as two lines and fills a hole', () => {
    // Crack: 3 x 3 squares at (10, 10) and (20, 12). Glass: 7 x 7 at (50, 40), its 3 x 3 hole filled.
    expect(label('val', 'dentfarm-sedan__black__clear__street__side__0')).toBe(
      [
        '2 0.083333 0.1 0.108333 0.1 0.108333 0.13 0.083333 0.13',
        '2 0.166667 0.12 0.191667 0.12 0.191667 0.15 0.166667 0.15',
        '3 0.416667 0.4 0.475 0.4 0.475 0.47 0.416667 0.47',
        '',
      ].join('\n'),
    );
  });

  it('numbers classes by COCO id: the six damage classes 0 to 5, then part categories', () => {
    expect(label('train', 'dentfarm-suv__own-paint__clear__street__side__0')).toBe('6 0.25 0.6 0.291667 0.6 0.291667 0.65 0.25 0.65\n');
    expect(summary.names).toEqual(['dent', 'scratch', 'crack', 'glass_shatter', 'lamp_broken', 'tire_flat', 'wheel']);
  });

  it('gives back every COCO mask pixel for pixel, holes filled', () => {
    const stems = new Map<number, [string, string]>();
    for (const image of fixture.coco.images) {
      const name = image.file_name.split('/').pop().replace(/\.png$/, '');
      stems.set(image.id, [[6].includes(image.id) ? 'val' : 'train', name]);
    }
    const lines = new Map<number, string[]>();
    for (const [id, [split, stem]] of stems) lines.set(id, label(split, stem).split('\n').filter(Boolean));
    const classOf: Record<number, number> = { 1: 0, 2: 1, 3: 2, 4: 3, 124: 6 };
    for (const a of fixture.coco.annotations) {
      if (a.iscrowd) continue;
      const mine = lines.get(a.image_id)!.filter((l) => Number(l.split(' ')[0]) === classOf[a.category_id]);
      const polygons = mine.map((l) => l.split(' ').slice(1).map((v, i) => Number(v) * (i % 2 === 0 ? WIDTH : HEIGHT)));
      const got = rasterizePolygons(polygons, WIDTH, HEIGHT).data;
      const want = decodeRle(a.segmentation).data;
      if (a.id === 6) {
        // The hole (52..54, 42..44) comes back filled; every other pixel matches.
        for (let y = 42; y < 45; y++) for (let x = 52; x < 55; x++) want[y * WIDTH + x] = 1;
      }
      expect(Buffer.from(got).equals(Buffer.from(want)), `annotation ${a.id}`).toBe(true);
    }
  });

  it('writes data.yaml with the splits and names, and links the images', () => {
    expect(readFileSync(join(out, 'data.yaml'), 'utf8')).toBe(
      [
        '# Ultralytics YOLO segmentation data, written by dentfarm export',
        `path: ${out}`,
        'train: images/train',
        'val: images/val',
        'names:',
        '  0: dent',
        '  1: scratch',
        '  2: crack',
        '  3: glass_shatter',
        '  4: lamp_broken',
        '  5: tire_flat',
        '  6: wheel',
        '',
      ].join('\n'),
    );
    const file = 'dentfarm-sedan__black__clear__street__side__0.png';
    expect(statSync(join(out, 'images', 'val', file)).ino).toBe(statSync(join(fixture.dir, 'images', file)).ino);
    expect(summary).toMatchObject({ images: 4, polygons: 7, instances: 6, splitInstances: 1, filledHoles: 1, ignoreRegionsLeftOut: 1, splits: { train: 3, val: 1 } });
  });

  it('runs from the CLI, training on all images and validating on them when the dataset has no splits', async () => {
    rmSync(join(fixture.dir, 'annotations_train.json'));
    rmSync(join(fixture.dir, 'annotations_val.json'));
    const run = await runCli(['export', fixture.dir, '--format', 'yolo', '--out', join(fixture.dir, 'flat')]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).splits).toEqual({ train: 4 });
    const yaml = readFileSync(join(fixture.dir, 'flat', 'data.yaml'), 'utf8');
    expect(yaml).toContain('train: images/train\n# the dataset has no val split: validation runs on the training images\nval: images/train\n');
  });
});
