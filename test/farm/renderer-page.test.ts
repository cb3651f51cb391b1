import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { AssetServer } from '../../src/farm/asset-server';
import { findChromium } from '../../src/farm/find-chromium';
import { RendererPage } from '../../src/farm/renderer-page';
import { mountRunAssets, RENDERER_PAGE } from '../../src/farm/run-assets';
import { expandGrid } from '../../src/grid/expand-grid';
import { loadScene } from '../../src/pipeline/load-scene';
import { renderRequest } from '../../src/pipeline/render-dataset';
import { ROOT, writeConfig } from '../e2e/run-cli';

describe('a renderer page across jobs', () => {
  it('keeps no listener, and so no result, of a finished job', async () => {
    const configFile = writeConfig({
      models: ['dentfarm-sedan'],
      paints: ['red'],
      damage: { dent: { count: 1 } },
      lighting: [{ environment: 'studio' }],
      samples: 4,
      image: { width: 48, height: 36, supersample: 1 },
    });
    const { config, models } = loadScene(configFile, ROOT, []);
    const server = new AssetServer();
    const urls = mountRunAssets(server, ROOT, config, models);
    const origin = await server.start();
    const page = await RendererPage.open({ executablePath: findChromium(undefined, process.env, () => {}), gl: 'swiftshader', origin, pagePath: RENDERER_PAGE, jobTimeoutMs: 60_000 });
    try {
      const tab = (page as unknown as { page: Page }).page;
      const listeners = () => ['error', 'close', 'console', 'request'].map((event) => tab.listenerCount(event));
      const before = listeners();
      for (const job of expandGrid(config, models)) {
        const result = await page.render(renderRequest(job, config, urls, { configFile, outDir: '', packageRoot: ROOT, gl: 'swiftshader' }));
        expect(result.color.length).toBeGreaterThan(0);
        // A listener left behind per job would hold that job's pixels for as long as the page lives.
        expect(listeners()).toEqual(before);
      }
    } finally {
      await page.close();
      await server.stop();
    }
  }, 120_000);
});
