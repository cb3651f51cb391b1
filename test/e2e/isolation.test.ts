import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { AssetServer } from '../../src/farm/asset-server';
import { findChromium } from '../../src/farm/find-chromium';
import { RendererPage } from '../../src/farm/renderer-page';
import { mountRunAssets, RENDERER_PAGE } from '../../src/farm/run-assets';
import { loadConfig } from '../../src/config/load-config';
import { ROOT, runCli, tempDir, writeConfig } from './run-cli';

/** A one-triangle glTF whose vertex buffer lives at `uri`. */
function gltfWithBuffer(uri: string): string {
  return JSON.stringify({
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name: 'body' }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
    accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] }],
    bufferViews: [{ buffer: 0, byteLength: 36 }],
    buffers: [{ byteLength: 36, uri }],
  });
}

describe('what a renderer page can reach', () => {
  it("refuses a model that refers to a local file, another host or a path out of its folder, failing only that model's jobs", async () => {
    const models = join(tempDir(), 'cars');
    const secret = join(tempDir(), 'secret.bin');
    writeFileSync(secret, Buffer.alloc(36, 7));
    // file: URLs and a hostname that the page would resolve; interception stops both before any traffic.
    const bad: [string, string][] = [
      ['local-file', `file://${secret}`],
      ['other-host', 'http://dentfarm-test.invalid/buffer.bin'],
      ['climbs-out', `../../../../../../../../..${secret}`],
    ];
    for (const [id, uri] of bad) {
      mkdirSync(join(models, id), { recursive: true });
      writeFileSync(join(models, id, 'car.gltf'), gltfWithBuffer(uri));
      writeFileSync(join(models, id, 'entry.json'), JSON.stringify({ id, make: 'Test', model: id, bodyStyle: 'sedan', file: 'car.gltf' }));
    }
    copyFileSync(join(ROOT, 'car-models/dentfarm-sedan.json'), join(models, 'dentfarm-sedan.json'));
    const config = writeConfig({
      name: 'isolation',
      modelDirs: [models],
      models: ['dentfarm-sedan', ...bad.map(([id]) => id)],
      paints: ['red'],
      lighting: [{ environment: 'studio' }],
      image: { width: 64, height: 48, supersample: 1 },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '1']);
    expect(run.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.failed.map((f: any) => f.key.split('/')[0]).sort()).toEqual(['climbs-out', 'local-file', 'other-host']);
    for (const f of summary.failed) expect(f.error).toMatch(/refers to \S+, outside its own folder; a model may refer only to files in its folder or below it/);
    expect(summary.rendered).toBe(1);
  }, 300_000);

  it('blocks, and reports, every request of a page that is not for the asset server', async () => {
    const server = new AssetServer();
    mountRunAssets(server, ROOT, loadConfig(writeConfig({ models: ['dentfarm-sedan'] }), [join(ROOT, 'car-models')]), []);
    const origin = await server.start();
    const reported: string[] = [];
    const page = await RendererPage.open({
      executablePath: findChromium(undefined, process.env, () => {}),
      gl: 'swiftshader',
      assets: server,
      pagePath: RENDERER_PAGE,
      jobTimeoutMs: 60_000,
      onBlocked: (url) => reported.push(url),
    });
    try {
      const tab = (page as unknown as { page: Page }).page;
      const tries = ['file:///etc/hostname', 'http://dentfarm-test.invalid/x.png', `${new URL(origin).origin}/renderer.js`, `${origin}/renderer.js`];
      const outcomes = await tab.evaluate(
        (urls) => Promise.all(urls.map((u) => fetch(u).then((r) => `status ${r.status}`, () => 'refused'))),
        tries,
      );
      // Anything but the run's token path, the server's own origin included, is refused before any traffic.
      expect(outcomes).toEqual(['refused', 'refused', 'refused', 'status 200']);
      // The browser itself refuses file: from an http page, before interception sees it.
      expect(reported).toEqual(tries.slice(1, 3));
    } finally {
      await page.close();
      await server.stop();
    }
  }, 120_000);
});
