/**
 * The rendering floor of a config: what its scenes cost a warmed page that
 * does nothing else, the colour pass and the ID pass with both read back.
 * A benchmark holds the pipeline's cost per image against it. Each scene is
 * rendered once in full first (car loaded, shaders compiled, damage placed),
 * then only its two passes are repeated.
 */
import { loadScene } from './load-scene';
import { AssetServer } from '../farm/asset-server';
import type { GlBackend } from '../farm/browser-flags';
import { findChromium } from '../farm/find-chromium';
import { RendererPage } from '../farm/renderer-page';
import { mountRunAssets, RENDERER_PAGE } from '../farm/run-assets';
import { expandGrid } from '../grid/expand-grid';
import { spreadIndices } from '../grid/spread';
import type { Logger } from '../log/logger';
import type { RendererInfo } from '../protocol';
import { renderRequest } from './render-dataset';
import { median } from './stage-timings';

export interface FloorOptions {
  configFile: string;
  packageRoot: string;
  assetRoots?: string[];
  chromium?: string;
  gl: GlBackend;
  /** Scenes taken evenly over the config's grid, as `render --limit` takes them. */
  scenes: number;
  /** Timed repeats of each scene's passes, after its full render. */
  repeats: number;
}

export interface FloorReport {
  /** Median over every timed repeat of every scene, milliseconds. */
  medianMs: number;
  scenes: { key: string; medianMs: number; runsMs: number[] }[];
  info: RendererInfo;
  browserVersion: string;
}

export async function measureFloor(options: FloorOptions, logger: Logger): Promise<FloorReport> {
  const { config, models } = loadScene(options.configFile, options.packageRoot, options.assetRoots);
  const grid = [...expandGrid(config, models)];
  const jobs = spreadIndices(grid.length, options.scenes).map((i) => grid[i]);
  const executablePath = findChromium(options.chromium, process.env, (m) => logger.warn(m));

  const server = new AssetServer();
  const urls = mountRunAssets(server, options.packageRoot, config, models);
  await server.start();
  let page: RendererPage | null = null;
  try {
    page = await RendererPage.open({ executablePath, gl: options.gl, assets: server, pagePath: RENDERER_PAGE, jobTimeoutMs: 300_000 });
    const scenes: FloorReport['scenes'] = [];
    for (const job of jobs) {
      const request = renderRequest(job, config, urls, { configFile: options.configFile, outDir: '', packageRoot: options.packageRoot, gl: options.gl });
      const { medianMs, runsMs } = await page.floor(request, options.repeats);
      scenes.push({ key: job.key, medianMs, runsMs });
      logger.info(`floor: ${job.key}: ${medianMs.toFixed(1)} ms (median of ${runsMs.length})`);
    }
    return { medianMs: median(scenes.flatMap((s) => s.runsMs)), scenes, info: page.info, browserVersion: await page.version() };
  } finally {
    await page?.close();
    await server.stop();
  }
}
