import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir } from '../e2e/run-cli';
import { writeFixture, type Fixture } from './fixture-dataset';

let fixture: Fixture;

beforeAll(async () => {
  fixture = await writeFixture();
});

afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

describe('dentfarm report', () => {
  it('writes a report.html that needs nothing from the network and shows the numbers and gaps', async () => {
    const run = await runCli(['report', fixture.dir, '--config', fixture.configFile]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ report: join(fixture.dir, 'report.html'), images: 4, instances: 5, ignoreRegions: 1 });
    expect(result.gaps).toHaveLength(3);

    const html = readFileSync(join(fixture.dir, 'report.html'), 'utf8');
    // The only URL is the SVG namespace, which is a name, not a fetch.
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:|<script|<link|<img|@import|url\(/i);
    for (const heading of ['Damage category', 'Car model', 'Colour', 'Lighting', 'Background', 'View', 'Split', 'Damaged part', 'Instance size', 'Visible fraction', 'Views']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('colour own-paint: 1 images, asked 0.0 (0.0%)');
    expect(html).toMatch(/<td>dentfarm-hatchback<\/td><td class="num">0<\/td>/);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(15);
    // Every section with two bar charts has images on the left and instances on the right.
    const sections = html.split('<section>').filter((section) => section.includes('<div class="row">'));
    expect(sections.map((section) => section.match(/<h2>([^<]*)<\/h2>/)![1])).toEqual(['Damage category', 'Car model', 'Colour', 'Lighting', 'Background', 'View', 'Split', 'Damaged part']);
    for (const section of sections) {
      const titles = [...section.matchAll(/<div class="muted small">(images|instances)<\/div>/g)].map((m) => m[1]);
      expect(titles, section.slice(0, 40)).toEqual(['images', 'instances']);
    }
  });

  it('without a config shows what the dataset got and says how to compare', async () => {
    const out = join(tempDir(), 'r.html');
    const run = await runCli(['report', fixture.dir, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).gaps).toEqual([]);
    expect(readFileSync(out, 'utf8')).toContain('Pass <code>--config FILE</code>');
  });

  it('names a missing folder or annotations.json in one line with the fix, exit 2', async () => {
    for (const command of ['report', 'serve', 'export']) {
      const extra = command === 'export' ? ['--format', 'yolo'] : [];
      const missing = await runCli([command, join(fixture.dir, 'nothing-here'), ...extra]);
      expect(missing.code).toBe(2);
      expect(missing.stderr.trim()).toBe(`dentfarm: ${join(fixture.dir, 'nothing-here')}: no such folder; fix: pass the folder a render wrote (its --out)`);
      const empty = tempDir();
      const noCoco = await runCli([command, empty, ...extra]);
      expect(noCoco.code).toBe(2);
      expect(noCoco.stderr.trim()).toMatch(/^dentfarm: .*: no annotations\.json there; fix: /);
      expect(noCoco.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(empty, 'report.html'))).toBe(false);
    }
  });

  it('names an annotation without a segmentation, its id and file, in one line', async () => {
    const dir = tempDir();
    const coco = {
      images: [{ id: 1, file_name: 'images/a.png', width: 4, height: 4 }],
      annotations: [{ id: 17, image_id: 1, category_id: 1, area: 1, bbox: [0, 0, 1, 1], iscrowd: 0 }],
      categories: [{ id: 1, name: 'dent' }],
    };
    writeFileSync(join(dir, 'annotations.json'), JSON.stringify(coco));
    for (const command of ['report', 'serve', 'export']) {
      const extra = command === 'export' ? ['--format', 'yolo'] : command === 'serve' ? ['--port', '0'] : [];
      const run = await runCli([command, dir, ...extra]);
      expect(run.code, command).toBe(2);
      expect(run.stderr.trim()).toBe(
        `dentfarm: ${join(dir, 'annotations.json')}: annotation 17 (image 1): segmentation: expected RLE {size, counts} or a list of polygons, found none; fix: render the dataset again, or remove that annotation`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('names an annotation whose mask does not decode, its id, image and file, in one line, for every command', async () => {
    const dir = tempDir();
    // A 4 x 4 image: RLE size [4, 4], counts summing to 16.
    const coco = {
      images: [{ id: 5, file_name: 'images/a.png', width: 4, height: 4 }],
      annotations: [
        { id: 8, image_id: 5, category_id: 1, area: 1, bbox: [0, 0, 1, 1], iscrowd: 0, segmentation: { size: [4, 4], counts: [0, 1, 15] } },
        { id: 9, image_id: 5, category_id: 1, area: 1, bbox: [0, 0, 1, 1], iscrowd: 0, segmentation: { size: [4, 4], counts: '!!!' } },
      ],
      categories: [{ id: 1, name: 'dent' }],
    };
    const file = join(dir, 'annotations.json');
    const cases: [unknown, string][] = [
      [{ size: [4, 4], counts: '!!!' }, 'RLE counts "!!!" do not decode (RLE string has invalid character at 0)'],
      [{ size: [4, 4], counts: [0, 1, 14] }, 'RLE counts [0,1,14] do not decode (RLE counts sum to 15, expected 16 (4 x 4))'],
      [{ size: [2, 8], counts: [0, 1, 15] }, "RLE size [2, 8] is not its image's [height, width] [4, 4]"],
      [[[0, 0, 2, 0, 2, 2, 0]], 'polygon 0 has 7 values, expected an even count of finite numbers (x, y pairs)'],
    ];
    for (const [segmentation, problem] of cases) {
      coco.annotations[1].segmentation = segmentation as never;
      writeFileSync(file, JSON.stringify(coco));
      for (const command of ['report', 'serve', 'export']) {
        const extra = command === 'export' ? ['--format', 'yolo'] : command === 'serve' ? ['--port', '0'] : [];
        const run = await runCli([command, dir, ...extra]);
        expect(run.code, command).toBe(2);
        expect(run.stderr.trim()).toBe(`dentfarm: ${file}: annotation 9 (image 5): segmentation: ${problem}; fix: render the dataset again, or remove that annotation`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('names a DIR that is a file, not a dataset folder, in one line, exit 2', async () => {
    const file = join(fixture.dir, 'annotations.json');
    for (const command of ['report', 'serve', 'export']) {
      const extra = command === 'export' ? ['--format', 'yolo'] : command === 'serve' ? ['--port', '0'] : [];
      const run = await runCli([command, file, ...extra]);
      expect(run.code, command).toBe(2);
      expect(run.stderr.trim()).toBe(`dentfarm: ${file}: is a file, not a dataset folder; fix: pass the folder a render wrote (its --out), the one that holds annotations.json`);
    }
  });

  it('names --out a folder, or a path through a file, in one line, exit 2', async () => {
    const folder = tempDir();
    mkdirSync(join(folder, 'r.html'));
    const run = await runCli(['report', fixture.dir, '--out', folder]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`dentfarm: --out ${folder}: that is a folder; fix: name the page's file, e.g. --out ${join(folder, 'report.html')}`);
    const file = join(folder, 'a-file');
    writeFileSync(file, 'x');
    const through = await runCli(['report', fixture.dir, '--out', join(file, 'r.html')]);
    expect(through.code).toBe(2);
    expect(through.stderr.trim()).toBe(`dentfarm: --out ${join(file, 'r.html')}: ${file} is a file, not a folder; fix: name a page in a folder, e.g. --out ${join(fixture.dir, 'report.html')}`);
    const dangling = join(folder, 'dangling');
    symlinkSync(join(folder, 'nowhere'), dangling);
    const broken = await runCli(['report', fixture.dir, '--out', join(dangling, 'r.html')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toBe(
      `dentfarm: --out ${join(dangling, 'r.html')}: ${dangling} is a link to ${join(folder, 'nowhere')}, which does not exist; fix: remove the link or create what it points to, or name a page in a folder, e.g. --out ${join(fixture.dir, 'report.html')}`,
    );
    rmSync(folder, { recursive: true, force: true });
  });

  it('says a dataset of no images is empty, in the report and the serve log line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'annotations.json'), JSON.stringify({ images: [], annotations: [], categories: [{ id: 1, name: 'dent' }] }));
    const run = await runCli(['report', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stderr).message).toBe(`${join(dir, 'report.html')}: 0 images (the dataset is empty: annotations.json lists none), 0 gaps between asked and got`);

    const serve = startCli(['serve', dir, '--port', '0']);
    await new Promise<void>((done) => serve.child.stderr!.on('data', () => serve.stderr().includes('\n') && done()));
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(JSON.parse(serve.stderr()).message).toMatch(/^serving .* \(the dataset is empty: annotations\.json lists no images\) at http:\/\/127\.0\.0\.1:\d+\//);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names a --port that is not a port, as typed, in one line', async () => {
    for (const port of ['abc', '65536', '-1', '80.5']) {
      const run = await runCli(['serve', fixture.dir, '--port', port]);
      expect(run.code, port).toBe(2);
      expect(run.stderr.trim()).toBe(`dentfarm: --port ${port}: expected a whole number from 0 to 65535; fix: pass e.g. --port 8080, or --port 0 for any free port`);
    }
  });
});
