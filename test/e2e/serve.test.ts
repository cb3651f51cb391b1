/**
 * `dentfarm serve` driven in real headless Chromium: filters, an image
 * view, a category toggled. Screenshots go to out/test-artifacts/serve/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFlags } from '../../src/farm/browser-flags';
import { findChromium } from '../../src/farm/find-chromium';
import { writeFixture, type Fixture } from '../report/fixture-dataset';
import { ROOT } from './run-cli';

const ARTIFACTS = join(ROOT, 'out', 'test-artifacts', 'serve');

let fixture: Fixture;
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
});

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

  it('shows the grid, narrows it by a filter, opens an image and toggles a category', async () => {
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.waitForSelector('body[data-ready]');
    expect(await page.$$eval('.thumb', (t) => t.length)).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, 'grid.png'), fullPage: true });

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
    await page.select('#filter-shard', '');
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
