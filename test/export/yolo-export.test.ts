import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRle } from '../../src/annotation/rle';
import { rasterizePolygons } from '../../src/annotation/polygon';
import { exportYolo, type YoloExportSummary } from '../../src/export/yolo-export';
import { Logger } from '../../src/log/logger';
import { runCli, tempDir } from '../e2e/run-cli';
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

  it('writes a mask of two pieces, or with a hole, as one polygon joined by a zero-width cut', () => {
    // Crack: 3 x 3 squares at (10, 10) and (20, 12), outlines (10,10) (13,10) (13,13) (10,13) and
    // (20,12) (23,12) (23,15) (20,15). Closest corners: (13,13)-(20,12), 7² + 1² = 50. The walk runs
    // (10,10) (13,10) (13,13), over to the second square and round it back to (20,12), then back to
    // (13,13) and on to (10,13).
    // Glass: outline (50,40) (57,40) (57,47) (50,47); its 3 x 3 hole at (52, 42) runs the other way,
    // (52,42) (52,45) (55,45) (55,42). All four corner pairs are 2² + 2² = 8 apart; the first is
    // (50,40)-(52,42). x over 120: 10 0.083333, 13 0.108333, 20 0.166667, 23 0.191667, 50 0.416667,
    // 52 0.433333, 55 0.458333, 57 0.475; y over 100.
    expect(label('val', 'dentfarm-sedan__black__clear__street__side__0')).toBe(
      [
        '2 0.083333 0.1 0.108333 0.1 0.108333 0.13 0.166667 0.12 0.191667 0.12 0.191667 0.15 0.166667 0.15 0.166667 0.12 0.108333 0.13 0.083333 0.13',
        '3 0.416667 0.4 0.433333 0.42 0.433333 0.45 0.458333 0.45 0.458333 0.42 0.433333 0.42 0.416667 0.4 0.475 0.4 0.475 0.47 0.416667 0.47',
        '',
      ].join('\n'),
    );
  });

  it('numbers classes by COCO id: the six damage classes 0 to 5, then part categories', () => {
    expect(label('train', 'dentfarm-suv__own-paint__clear__street__side__0')).toBe('6 0.25 0.6 0.291667 0.6 0.291667 0.65 0.25 0.65\n');
    expect(summary.names).toEqual(['dent', 'scratch', 'crack', 'glass_shatter', 'lamp_broken', 'tire_flat', 'wheel']);
  });

  it('gives back every COCO mask pixel for pixel, holes included', () => {
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
      expect(mine, `annotation ${a.id}`).toHaveLength(1);
      const want = decodeRle(a.segmentation).data;
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
    expect(summary).toMatchObject({ images: 4, instances: 6, joinedOutlines: 2, ignoreRegionsLeftOut: 1, splits: { train: 3, val: 1 } });
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

describe('YOLO export folder safety', () => {
  let parent: string;
  let dataset: string;
  const imagesOf = () => readdirSync(join(dataset, 'images')).sort();
  const originals = [
    'dentfarm-sedan__black__clear__street__side__0.png',
    'dentfarm-sedan__white__clear__street__front__0.png',
    'dentfarm-sedan__white__overcast__street__front__0.png',
    'dentfarm-suv__own-paint__clear__street__side__0.png',
  ];

  beforeAll(async () => {
    parent = tempDir();
    dataset = join(parent, 'ds');
    renameSync((await writeFixture()).dir, dataset);
  });

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('refuses --out a link to the dataset folder, or a folder holding it, and deletes nothing', async () => {
    const link = join(parent, 'link-to-ds');
    symlinkSync(dataset, link);
    const run = await runCli(['export', dataset, '--format', 'yolo', '--out', link]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`dentfarm: --out ${link}: is the dataset folder ${dataset}, whose files an export would replace; fix: pass a new or empty folder, e.g. --out ${join(dataset, 'yolo')}`);
    expect(imagesOf()).toEqual(originals);

    const holder = await runCli(['export', dataset, '--format', 'yolo', '--out', parent]);
    expect(holder.code).toBe(2);
    expect(holder.stderr.trim()).toMatch(/^dentfarm: --out .*: holds the dataset folder .*; fix: pass a new or empty folder/);
    expect(imagesOf()).toEqual(originals);
  });

  it('refuses a folder with images/ and labels/ of its own, keeping them', async () => {
    const foreign = join(parent, 'project');
    mkdirSync(join(foreign, 'images'), { recursive: true });
    mkdirSync(join(foreign, 'labels'), { recursive: true });
    writeFileSync(join(foreign, 'images', 'mine.jpg'), 'not dentfarm');
    writeFileSync(join(foreign, 'labels', 'mine.txt'), '0 0 0 1 0 1 1\n');
    const run = await runCli(['export', dataset, '--format', 'yolo', '--out', foreign]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `dentfarm: --out ${foreign}: the folder holds files, and no data.yaml of an earlier dentfarm export, so its images/ and labels/ are not the export's to replace; fix: pass a new or empty folder, e.g. --out ${join(dataset, 'yolo')}`,
    );
    expect(readFileSync(join(foreign, 'images', 'mine.jpg'), 'utf8')).toBe('not dentfarm');
    expect(readFileSync(join(foreign, 'labels', 'mine.txt'), 'utf8')).toBe('0 0 0 1 0 1 1\n');
    expect(existsSync(join(foreign, 'data.yaml'))).toBe(false);
  });

  it('writes into an empty folder, and replaces its own earlier export there', async () => {
    const out = join(parent, 'empty');
    mkdirSync(out);
    expect((await runCli(['export', dataset, '--format', 'yolo', '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'labels', 'train', 'stale.txt'), '');
    const again = await runCli(['export', dataset, '--format', 'yolo', '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(out, 'labels', 'train', 'stale.txt'))).toBe(false);
    expect(readdirSync(join(out, 'labels', 'train'))).toHaveLength(3);
    expect(imagesOf()).toEqual(originals);
  });

  it('names --out a file, or a path through a file, in one line', async () => {
    const file = join(parent, 'a-file');
    writeFileSync(file, 'x');
    for (const [out, what] of [[file, 'is a file'], [join(file, 'sub'), `${file} is a file`]]) {
      const run = await runCli(['export', dataset, '--format', 'yolo', '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toBe(`dentfarm: --out ${out}: ${what}, not a folder; fix: pass a new or empty folder, e.g. --out ${join(dataset, 'yolo')}`);
    }
  });

  it('refuses an image without a size, or an annotation of a category not listed, before writing anything', async () => {
    const dir = tempDir();
    const coco = {
      images: [{ id: 1, file_name: 'images/a.png', width: null, height: 4 }],
      annotations: [{ id: 3, image_id: 1, category_id: 1, area: 4, bbox: [0, 0, 2, 2], iscrowd: 0, segmentation: [[0, 0, 2, 0, 2, 2, 0, 2]] }],
      categories: [{ id: 1, name: 'dent' }],
    };
    const file = join(dir, 'annotations.json');
    writeFileSync(file, JSON.stringify(coco));
    const unsized = await runCli(['export', dir, '--format', 'yolo']);
    expect(unsized.code).toBe(2);
    expect(unsized.stderr.trim()).toBe(`dentfarm: ${file}: image 1 (images/a.png): width null, height 4: expected whole numbers of pixels above 0; nothing was exported; fix: render the dataset again`);
    coco.images[0].width = 4 as never;
    coco.annotations[0].category_id = 9;
    writeFileSync(file, JSON.stringify(coco));
    const unlisted = await runCli(['export', dir, '--format', 'yolo']);
    expect(unlisted.code).toBe(2);
    expect(unlisted.stderr.trim()).toBe(`dentfarm: ${file}: annotation 3 (image 1): category_id 9 is not in "categories"; nothing was exported; fix: render the dataset again, or remove that annotation`);
    expect(readdirSync(dir)).toEqual(['annotations.json']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a dataset without images', async () => {
    const empty = tempDir();
    writeFileSync(join(empty, 'annotations.json'), JSON.stringify({ images: [], annotations: [], categories: [{ id: 1, name: 'dent' }] }));
    const run = await runCli(['export', empty, '--format', 'yolo']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`dentfarm: ${join(empty, 'annotations.json')}: no images to export (its "images" list is empty); fix: render into ${empty} first, or pass a dataset that has images`);
    expect(existsSync(join(empty, 'yolo'))).toBe(false);
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('a failed export', () => {
  let parent: string;
  let dataset: string;
  let out: string;
  const partials = () => readdirSync(dataset).filter((name) => name.startsWith('.yolo.'));
  const coco = () => JSON.parse(readFileSync(join(dataset, 'annotations.json'), 'utf8'));

  /** Every file under the export: its text, or for an image its inode (a hard link to the dataset's). */
  function snapshot(): Record<string, string | number> {
    const files: Record<string, string | number> = {};
    const walk = (sub: string) => {
      for (const name of readdirSync(join(out, sub))) {
        const path = join(sub, name);
        const stat = statSync(join(out, path));
        if (stat.isDirectory()) walk(path);
        else files[path] = path.endsWith('.png') ? stat.ino : readFileSync(join(out, path), 'utf8');
      }
    };
    walk('');
    return files;
  }

  beforeAll(async () => {
    parent = tempDir();
    dataset = join(parent, 'ds');
    out = join(dataset, 'yolo');
    renameSync((await writeFixture()).dir, dataset);
  });

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('leaves the earlier export as it was when a listed image is missing, and says which', async () => {
    expect((await runCli(['export', dataset, '--format', 'yolo'])).code).toBe(0);
    const before = snapshot();
    // data.yaml, 4 images and 4 label files.
    expect(Object.keys(before)).toHaveLength(9);
    const gone = 'images/dentfarm-sedan__white__overcast__street__front__0.png';
    renameSync(join(dataset, gone), join(parent, 'kept.png'));
    const run = await runCli(['export', dataset, '--format', 'yolo']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`dentfarm: ${join(dataset, gone)}: image 3 listed in annotations.json is missing; nothing was exported; fix: render the dataset again (it resumes)`);
    expect(snapshot()).toEqual(before);
    expect(partials()).toEqual([]);
    renameSync(join(parent, 'kept.png'), join(dataset, gone));
  });

  it('leaves the earlier export as it was when writing fails partway, removing what it had written', async () => {
    const before = snapshot();
    // A fifth image, last: its own name is 254 characters, but its label's, the 252-character stem
    // and ".txt", is 256, one past the 255 a folder entry may have. The four images before it are
    // linked and labelled first.
    const stem = 'a'.repeat(252);
    const data = coco();
    data.images.push({ ...data.images[0], id: 21, file_name: `images/${stem}.p` });
    writeFileSync(join(dataset, 'annotations.json'), JSON.stringify(data));
    writeFileSync(join(dataset, `images/${stem}.p`), readFileSync(join(dataset, data.images[0].file_name)));
    const run = await runCli(['export', dataset, '--format', 'yolo']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(/^dentfarm: --out .*yolo: the export could not be written \(ENAMETOOLONG: .*\); an earlier export there is unchanged; fix: /);
    expect(snapshot()).toEqual(before);
    expect(partials()).toEqual([]);
    data.images.pop();
    writeFileSync(join(dataset, 'annotations.json'), JSON.stringify(data));
    rmSync(join(dataset, `images/${stem}.p`));
  });

  it('leaves the earlier export as it was when a mask does not decode', async () => {
    const before = snapshot();
    const data = coco();
    const counts = data.annotations[4].segmentation.counts;
    data.annotations[4].segmentation.counts = '!!!';
    writeFileSync(join(dataset, 'annotations.json'), JSON.stringify(data));
    const run = await runCli(['export', dataset, '--format', 'yolo']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `dentfarm: ${join(dataset, 'annotations.json')}: annotation 5 (image 6): segmentation: RLE counts "!!!" do not decode (RLE string has invalid character at 0); fix: render the dataset again, or remove that annotation`,
    );
    expect(snapshot()).toEqual(before);
    data.annotations[4].segmentation.counts = counts;
    writeFileSync(join(dataset, 'annotations.json'), JSON.stringify(data));
  });

  it('keeps files a user put beside an earlier export when it replaces it', async () => {
    writeFileSync(join(out, 'NOTES.md'), 'trained on this');
    writeFileSync(join(out, 'labels', 'train', 'stale.txt'), '');
    const run = await runCli(['export', dataset, '--format', 'yolo']);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('trained on this');
    expect(existsSync(join(out, 'labels', 'train', 'stale.txt'))).toBe(false);
    expect(readdirSync(join(out, 'labels', 'train'))).toHaveLength(3);
    expect(partials()).toEqual([]);
  });

  it('names an --out that is a link to nothing, in one line', async () => {
    const dangling = join(parent, 'dangling');
    symlinkSync(join(parent, 'nowhere'), dangling);
    for (const [given, what] of [[dangling, 'is'], [join(dangling, 'sub'), `${dangling} is`]]) {
      const run = await runCli(['export', dataset, '--format', 'yolo', '--out', given]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toBe(
        `dentfarm: --out ${given}: ${what} a link to ${join(parent, 'nowhere')}, which does not exist; fix: remove the link or create what it points to, or pass a new or empty folder, e.g. --out ${join(dataset, 'yolo')}`,
      );
    }
    expect(existsSync(join(parent, 'nowhere'))).toBe(false);
  });
});
