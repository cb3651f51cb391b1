/**
 * `dentfarm serve` driven in real headless Chromium: filters, an image
 * view, a category toggled. Screenshots go to out/test-artifacts/serve/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFlags } from '../../src/farm/browser-flags';
import { findChromium } from '../../src/farm/find-chromium';
import { HEIGHT, WIDTH, writeFixture, type Fixture } from '../report/fixture-dataset';
import { ROOT, startCli, tempDir } from './run-cli';

const ARTIFACTS = join(ROOT, 'out', 'test-artifacts', 'serve');

let fixture: Fixture;
let outside: string;
let server: ChildProcess;
let exited: Promise<number | null>;
let url: string;
let browser: Browser;
let page: Page;

/** GET with the path sent exactly as given (no normalising of `..`), and an optional Host header. */
function rawGet(path: string, host?: string): Promise<{ status: number; type: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, headers: host ? { host } : {} }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Pixels of the mask overlay that are not transparent. */
function overlayPixels(): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.getElementById('overlay') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  fixture = await writeFixture();
  // A crafted annotations.json: twins that point out of the dataset, by a
  // path with '..' and by a link, beside a twin that is the dataset's own.
  outside = tempDir();
  writeFileSync(join(outside, 'secret.txt'), 'not for the page');
  symlinkSync(join(outside, 'secret.txt'), join(fixture.dir, 'images', 'leak.png'));
  mkdirSync(join(fixture.dir, 'twins'));
  writeFileSync(join(fixture.dir, 'twins', 'own.png'), 'a twin');
  const coco = JSON.parse(readFileSync(join(fixture.dir, 'annotations.json'), 'utf8'));
  coco.images[0].dentfarm.twin_file_name = `../${basename(outside)}/secret.txt`;
  coco.images[1].dentfarm.twin_file_name = 'images/leak.png';
  coco.images[2].dentfarm.twin_file_name = 'twins/own.png';
  // A wheel part mask over all of image 1's dent (5..14): [0, 0, 20, 20].
  coco.annotations.push({ ...coco.annotations[6], id: 8, image_id: 1, bbox: [0, 0, 20, 20], area: 400, segmentation: { size: [HEIGHT, WIDTH], counts: wheelCounts() } });
  writeFileSync(join(fixture.dir, 'annotations.json'), JSON.stringify(coco));
  server = spawn(process.execPath, [join(ROOT, 'bin/dentfarm.js'), 'serve', fixture.dir, '--port', '0', '--config', fixture.configFile], { cwd: ROOT });
  exited = new Promise((done) => server.on('close', (code) => done(code)));
  url = await new Promise<string>((done, fail) => {
    let stdout = '';
    let stderr = '';
    server.stderr!.on('data', (d) => (stderr += d));
    server.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) done(stdout.trim());
    });
    server.on('close', () => fail(new Error(`serve exited: ${stderr}`)));
  });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, pipe: true, args: browserFlags('swiftshader', isRoot) });
  page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(fixture.dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Uncompressed column-major RLE of the 20 x 20 square at the top-left corner. */
function wheelCounts(): number[] {
  const counts: number[] = [];
  for (let x = 0; x < 20; x++) counts.push(x === 0 ? 0 : HEIGHT - 20, 20);
  counts.push(HEIGHT * WIDTH - 20 * HEIGHT + HEIGHT - 20);
  return counts;
}

describe('dentfarm serve', () => {
  it('listens on 127.0.0.1 and prints the URL', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the files annotations.json lists and nothing else', async () => {
    expect(await rawGet('/images/dentfarm-sedan__white__clear__street__front__0.png')).toEqual({ status: 200, type: 'image/png' });
    for (const path of ['/annotations.json', '/scene.json', '/images/../annotations.json', '/images/..%2fannotations.json', '/%2e%2e/%2e%2e/etc/passwd', '/images/']) {
      expect((await rawGet(path)).status, path).toBe(404);
    }
    expect((await rawGet('/', 'attacker.example')).status).toBe(403);
  });

  it('serves a listed file only when its real path is inside the dataset folder', async () => {
    expect((await rawGet('/twins/own.png')).status).toBe(200);
    expect((await rawGet(`/..%2F${basename(outside)}%2Fsecret.txt`)).status).toBe(404);
    expect((await rawGet(`/../${basename(outside)}/secret.txt`)).status).toBe(404);
    expect((await rawGet('/images/leak.png')).status).toBe(404);
  });

  it('shows the grid, narrows it by a filter, opens an image and toggles a category', async () => {
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.waitForSelector('body[data-ready]');
    expect(await page.$$eval('.thumb', (t) => t.length)).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, 'grid.png'), fullPage: true });
    // Damage classes by id, then the part category 124 (not as text, where '124' sorts before '2').
    expect(await page.$$eval('#filter-category option', (o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual(['', '1', '2', '3', '4', '124']);
    // hood: image 1's dent; image 3's hood annotation is an ignore region and is not counted.
    expect(await page.$$eval('#filter-part option', (o) => o.map((e) => e.textContent))).toContain('hood (1)');
    // dent: images 1 and 3 have dent instances; wheel: images 1 and 20.
    expect(await page.$$eval('#filter-category option', (o) => o.map((e) => e.textContent))).toEqual(['any', 'dent (2)', 'scratch (1)', 'crack (1)', 'glass_shatter (1)', 'wheel (2)']);

    await page.select('#filter-model', 'dentfarm-suv');
    expect(await page.$$eval('.thumb', (t) => t.map((e) => e.getAttribute('data-id')))).toEqual(['20']);
    await page.click('#reset');
    await page.select('#filter-category', '3');
    expect(await page.$$eval('.thumb', (t) => t.map((e) => e.getAttribute('data-id')))).toEqual(['6']);
    await page.select('#filter-part', 'hood');
    expect(await page.$$eval('.thumb', (t) => t.length)).toBe(0);
    await page.click('#reset');
    await page.$eval('#shard-count', (e) => {
      (e as HTMLInputElement).value = '2';
      e.dispatchEvent(new Event('change'));
    });
    await page.select('#filter-shard', '0');
    // Shard 0 of 2 holds the even grid indices: ids 1, 3 (indices 0, 2); ids 6 and 20 are odd indices.
    expect(await page.$$eval('.thumb', (t) => t.map((e) => e.getAttribute('data-id')))).toEqual(['1', '3']);
    await page.click('#reset');
    // Back to the dataset's own shard count (1: summary.json has no shard) and all four images.
    expect(await page.$eval('#shard-count', (e) => (e as HTMLInputElement).value)).toBe('1');
    expect(await page.$$eval('#filter-shard option', (o) => o.length)).toBe(2);
    expect(await page.$$eval('.thumb', (t) => t.length)).toBe(4);
    await page.select('#filter-category', '3');
    await page.screenshot({ path: join(ARTIFACTS, 'grid-filtered.png'), fullPage: true });

    await page.click('.thumb[data-id="6"]');
    await page.waitForSelector('body[data-loaded="6"]');
    // Crack: two 3 x 3 squares (18 px); glass: 7 x 7 with a 3 x 3 hole (40 px).
    expect(await overlayPixels()).toBe(58);
    const colour = await page.evaluate(() => Array.from((document.getElementById('overlay') as HTMLCanvasElement).getContext('2d')!.getImageData(10, 10, 1, 1).data));
    expect(colour).toEqual([0xff, 0x40, 0xc8, 255]);
    const table = await page.$eval('#annotations', (t) => t.textContent);
    expect(table).toContain('part=front_bumper');
    expect(table).toContain('visible_fraction=0.25');
    expect(table).toContain('part=windshield');
    await page.screenshot({ path: join(ARTIFACTS, 'image.png'), fullPage: true });

    await page.click('#toggle-crack');
    expect(await overlayPixels()).toBe(40);
    await page.screenshot({ path: join(ARTIFACTS, 'image-crack-off.png'), fullPage: true });
    await page.click('#toggle-glass_shatter');
    expect(await overlayPixels()).toBe(0);
    await page.click('#toggle-crack');
    expect(await overlayPixels()).toBe(18);
  });

  it('draws part masks under the damage, in a colour no damage class has', async () => {
    await page.goto(`${url}#image=1`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('body[data-loaded="1"]');
    const at = (x: number, y: number) =>
      page.evaluate((x, y) => Array.from((document.getElementById('overlay') as HTMLCanvasElement).getContext('2d')!.getImageData(x, y, 1, 1).data), x, y);
    // The dent's top-left edge pixel (5, 5), over the wheel mask: dent yellow.
    expect(await at(5, 5)).toEqual([0xff, 0xd6, 0x00, 255]);
    // The wheel's own edge at (0, 0): the one part colour, hue 0, saturation 0.5, lightness 0.7:
    // chroma/2 = 0.5 * 0.3 = 0.15, red 0.85 * 255 = 216.75 -> 0xd9, green and blue 0.55 * 255 = 140.25 -> 0x8c.
    expect(await at(0, 0)).toEqual([0xd9, 0x8c, 0x8c, 255]);
    expect(await page.$$eval('#toggles label', (l) => l.map((e) => e.textContent))).toEqual(['dent (1)', 'scratch (1)', 'wheel (1)', 'fill masks']);
    await page.screenshot({ path: join(ARTIFACTS, 'image-part-under-damage.png'), fullPage: true });
  });

  it('shows the annotations of an image whose file is missing, and says which file', async () => {
    const file = 'images/dentfarm-suv__own-paint__clear__street__side__0.png';
    renameSync(join(fixture.dir, file), join(outside, 'away.png'));
    await page.goto(`${url}#image=20`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('body[data-loaded="20"]');
    expect(await page.$eval('#title', (e) => e.textContent)).toBe(`#20 ${file}`);
    expect(await page.$eval('#missing', (e) => e.textContent)).toBe(
      `The image file ${file} is missing from the dataset folder. Its annotations are listed below; the masks are drawn on a blank canvas of its listed size, 120 x 100.`,
    );
    expect(await page.$eval('#annotations', (t) => t.textContent)).toContain('part=wheel_front_left');
    // The wheel's 5 x 5 square at (30, 60).
    expect(await overlayPixels()).toBe(25);
    await page.screenshot({ path: join(ARTIFACTS, 'image-file-missing.png'), fullPage: true });
    renameSync(join(outside, 'away.png'), join(fixture.dir, file));

    await page.goto(`${url}#image=6`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('body[data-loaded="6"]');
    expect(await page.$eval('#missing', (e) => [e.textContent, (e as HTMLElement).style.display])).toEqual(['', 'none']);
  });

  it('shows the balance report at /report', async () => {
    await page.goto(`${url}report`, { waitUntil: 'networkidle0' });
    expect(await page.$$eval('h2', (h) => h.map((e) => e.textContent))).toContain('Damage category');
    expect(await page.content()).toContain('colour own-paint: 1 images');
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  });

  it('stops on SIGTERM with exit code 0', async () => {
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('dentfarm serve, a request that fails', () => {
  it('is answered 500 with one line of JSON and logged, and the server goes on serving', async () => {
    // Image 1 has no width, so its polygon cannot be drawn into a mask: its request throws.
    const dir = tempDir();
    const coco = {
      images: [
        { id: 1, file_name: 'images/a.png', width: null, height: 4 },
        { id: 2, file_name: 'images/b.png', width: 4, height: 4 },
      ],
      annotations: [{ id: 3, image_id: 1, category_id: 1, area: 4, bbox: [0, 0, 2, 2], iscrowd: 0, segmentation: [[0, 0, 2, 0, 2, 2, 0, 2]] }],
      categories: [{ id: 1, name: 'dent' }],
    };
    writeFileSync(join(dir, 'annotations.json'), JSON.stringify(coco));
    const serve = startCli(['serve', dir, '--port', '0']);
    const base = await new Promise<string>((done) => {
      let stdout = '';
      serve.child.stdout!.on('data', (d) => {
        stdout += d;
        if (stdout.includes('\n')) done(stdout.trim());
      });
    });
    const get = (path: string) => fetch(new URL(path, base)).then(async (r) => ({ status: r.status, body: await r.text() }));

    expect(await get('/api/image/1.json')).toEqual({ status: 500, body: '{"error":"GET /api/image/1.json: raster width must be an integer >= 0: null"}\n' });
    expect((await get('/api/image/2.json')).status).toBe(200);
    expect((await get('/api/dataset.json')).status).toBe(200);
    const logged = serve.stderr().trim().split('\n').map((line) => JSON.parse(line));
    expect(logged.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['GET /api/image/1.json: raster width must be an integer >= 0: null']);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
