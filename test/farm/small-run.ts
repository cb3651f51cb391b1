/** A small real run's pieces for farm tests: the asset server, the page options and the requests of a tiny config. */
import { AssetServer } from '../../src/farm/asset-server';
import { findChromium } from '../../src/farm/find-chromium';
import type { RendererPageOptions } from '../../src/farm/renderer-page';
import { mountRunAssets, RENDERER_PAGE } from '../../src/farm/run-assets';
import { expandGrid } from '../../src/grid/expand-grid';
import { loadScene } from '../../src/pipeline/load-scene';
import { renderRequest } from '../../src/pipeline/render-dataset';
import type { RenderRequest } from '../../src/protocol';
import { ROOT, writeConfig } from '../e2e/run-cli';

export interface SmallRun {
  pageOptions: RendererPageOptions;
  requests: RenderRequest[];
  stop(): Promise<void>;
}

/** `samples` jobs of one procedural car with a dent, at 48 x 36. */
export async function smallRun(samples: number): Promise<SmallRun> {
  const configFile = writeConfig({
    models: ['dentfarm-sedan'],
    paints: ['red'],
    damage: { dent: { count: 1 } },
    lighting: [{ environment: 'studio' }],
    samples,
    image: { width: 48, height: 36, supersample: 1 },
  });
  const { config, models } = loadScene(configFile, ROOT, []);
  const server = new AssetServer();
  const urls = mountRunAssets(server, ROOT, config, models);
  await server.start();
  return {
    pageOptions: { executablePath: findChromium(undefined, process.env, () => {}), gl: 'swiftshader', assets: server, pagePath: RENDERER_PAGE, jobTimeoutMs: 60_000 },
    requests: [...expandGrid(config, models)].map((job) => renderRequest(job, config, urls, { configFile, outDir: '', packageRoot: ROOT, gl: 'swiftshader' })),
    stop: () => server.stop(),
  };
}
