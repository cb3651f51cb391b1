/**
 * `dentfarm render`: config to finished dataset. Loads and checks the
 * config and its models, expands the grid, starts the farm, turns each
 * result into an image file and COCO annotations, and writes
 * annotations.json and summary.json when the last job is done.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { annotateJob, annotateParts } from '../annotation/annotate-job';
import { CATEGORIES } from '../annotation/categories';
import { PART_CATEGORIES } from '../annotation/part-categories';
import { checkModelFile } from '../car/check-model-file';
import type { ModelEntry } from '../car/model-catalog';
import type { SceneConfig } from '../config/scene-config';
import { DentfarmError } from '../errors';
import { AssetServer } from '../farm/asset-server';
import type { GlBackend } from '../farm/browser-flags';
import { Farm } from '../farm/farm';
import { findChromium } from '../farm/find-chromium';
import { mountRunAssets, RENDERER_PAGE, type RunUrls } from '../farm/run-assets';
import { checkGridSize, expandGrid } from '../grid/expand-grid';
import type { Job } from '../grid/job';
import type { Logger } from '../log/logger';
import { Progress } from '../log/progress';
import { buildCocoDataset, type RenderedImage } from '../output/coco-dataset';
import { encodeImage, IMAGE_EXTENSIONS } from '../output/image-writer';
import { abandonWrites, refusedWrite, writeAtomic } from '../output/write-atomic';
import { invocation, shortPath } from '../cli/invocation';
import { defaultWorkers } from '../farm/default-workers';
import { MODEL_LOAD_FAILED, type RenderRequest, type RenderResult, type RendererInfo } from '../protocol';
import { cameraRecord } from './camera-record';
import { flipRows } from './flip-rows';
import { twinPixels } from './twin-pixels';
import { inShard, type Shard } from '../grid/shard';
import { writeSplits, type Split } from '../output/splits';
import { FolderLock } from '../output/folder-lock';
import { InputHashes, JOB_RECORD_FOLDER, jobFingerprint, pruneJobRecords, readJobRecord, writeJobRecord, type JobCounts } from './job-record';
import { changedPixels } from '../annotation/changed-pixels';
import { augmentImage } from '../output/augment';
import { spreadIndices } from '../grid/spread';
import { loadScene } from './load-scene';
import { checkInputFiles } from '../config/check-input-files';
import { StageTimings, stopwatch, type FinishTimings } from './stage-timings';

export interface RenderOptions {
  configFile: string;
  outDir: string;
  packageRoot: string;
  workers?: number;
  chromium?: string;
  gl: GlBackend;
  segmentation?: 'rle' | 'polygon';
  limit?: number;
  /** Also write each image's undamaged twin under twins/. */
  pairs?: boolean;
  /** Also write each label's unoccluded mask as attributes.amodal_segmentation. */
  amodal?: boolean;
  /** Also write a mask per visible car part, as annotations of the part categories. */
  parts?: boolean;
  jobTimeoutMs?: number;
  /** Render only this slice of the grid. */
  shard?: Shard | null;
  /** Remove the images and records of jobs no longer in the config's grid. */
  prune?: boolean;
  /** Also write one annotation file per split, jobs assigned by a hash of their key. */
  splits?: Split[] | null;
  /** Folders beyond the config's and the project's that the config may read files from. */
  assetRoots?: string[];
  /** Chromium's sandbox; default on (off as root). */
  sandbox?: boolean;
}

export interface RenderSummary {
  jobs: number;
  rendered: number;
  failed: { key: string; error: string }[];
  annotations: number;
  /** Small damage written as ignore regions (iscrowd 1) instead of instances. */
  ignoreRegions: number;
  /** Small damage left out (annotations.small "drop"). */
  dropped: number;
  /** Damage too faint to see (under annotations.minVisibleChange), among the ignored or dropped. */
  faint: number;
  /** Placed damage that no pixel of the image shows. */
  hidden: number;
  unplaced: number;
  seconds: number;
  /** Images this run rendered, per second (images done before it do not count). */
  imagesPerSecond: number;
  /** Median milliseconds per stage of the jobs this run rendered (see stage-timings.ts). */
  stage_ms: Record<string, number>;
  workers: { worker: number; renderer: string; software: boolean }[];
  /** The slice of the grid this run rendered; null: all of it. */
  shard: Shard | null;
  /** The signal that stopped the run early, if one did. */
  stopped?: NodeJS.Signals | null;
}

export async function renderDataset(options: RenderOptions, logger: Logger): Promise<RenderSummary> {
  const started = Date.now();
  const { config, models } = loadScene(options.configFile, options.packageRoot, options.assetRoots);
  await checkInputFiles(config);
  checkOutputFolder(options.outDir);
  const total = checkGridSize(config, models);
  const shard = options.shard ?? null;
  const grid = [...expandGrid(config, models)];
  const jobs = spreadOver(grid, options.limit).filter((j) => inShard(j.index, shard));
  const executablePath = findChromium(options.chromium, process.env, (m) => logger.warn(m));
  const brokenModels = checkModels(models, logger);
  const failed: RenderSummary['failed'] = jobs
    .filter((j) => brokenModels.has(j.model.id))
    .map((j) => ({ key: j.key, error: brokenModels.get(j.model.id)! }));
  const runnable = jobs.filter((j) => !brokenModels.has(j.model.id));
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), runnable.length));
  const modelsInRun = new Set(jobs.map((j) => j.model.id)).size;
  logger.info(`${config.name}: ${jobs.length} of ${total} jobs${shard ? ` (shard ${shard.index}/${shard.count})` : ''}, ${modelsInRun} of ${models.length} models, ${workers} workers, output ${options.outDir}`);

  const server = new AssetServer();
  const urls = mountRunAssets(server, options.packageRoot, config, models);
  await server.start();
  const byKey = new Map(jobs.map((j) => [j.key, j]));
  const rendered: RenderedImage[] = [];
  const totals: JobCounts = { ignored: 0, dropped: 0, faint: 0, hidden: 0, unplaced: 0 };
  const count = (c: JobCounts) => {
    for (const key of Object.keys(totals) as (keyof JobCounts)[]) totals[key] += c[key];
  };

  // Jobs whose record matches are done already: resume, or only what is new.
  const segmentation = options.segmentation ?? config.annotations.segmentation;
  const hashes = new InputHashes();
  const fingerprints = new Map<string, string>();
  const todo: RenderRequest[] = [];
  for (const job of runnable) {
    const request = renderRequest(job, config, urls, options);
    const fingerprint = jobFingerprint(request, fingerprintInputs(job, config, options, segmentation, hashes));
    fingerprints.set(job.key, fingerprint);
    const record = readJobRecord(options.outDir, job.key, fingerprint);
    if (record) {
      // Ids follow the grid of this config, which may have grown around the job.
      rendered.push({ ...record.rendered, image: { ...record.rendered.image, id: job.index + 1 } });
      count(record.counts);
    } else {
      todo.push(request);
    }
  }
  const done = rendered.length;
  if (done > 0) logger.info(`${done} of ${runnable.length} jobs are already done in ${options.outDir}; rendering the other ${todo.length}`);

  let farm: Farm | null = null;
  let lock: FolderLock | null = null;
  let rendering = true;
  let stopped: NodeJS.Signals | null = null;
  // The first write the output's file system refused (full, read-only...): the run stops there.
  let refused: string | null = null;
  let removeSignalHandlers = () => {};
  const progress = new Progress(logger, todo.length);
  const stages = new StageTimings();
  try {
    farm = todo.length === 0 ? null : await Farm.start(
      {
        executablePath,
        gl: options.gl,
        assets: server,
        pagePath: RENDERER_PAGE,
        jobTimeoutMs: options.jobTimeoutMs ?? 300_000,
        workers,
        attempts: 2,
        recycleAfterJobs: RECYCLE_AFTER_JOBS,
        sandbox: options.sandbox,
      },
      logger,
    );
    // Only once a browser runs, so a failed start leaves no folder behind.
    await Promise.all(['images', JOB_RECORD_FOLDER].map((d) => mkdir(join(options.outDir, d), { recursive: true }))).catch((error) => {
      throw new DentfarmError('OUTPUT_FAILED', `cannot create ${options.outDir}: ${(error as Error).message}; fix: choose a writable --out folder`);
    });
    lock = FolderLock.acquire(options.outDir, (m) => logger.warn(m));
    if (options.prune) {
      const removed = await pruneJobRecords(options.outDir, new Set(grid.map((j) => j.key)));
      logger.info(`pruned ${removed.length} jobs no longer in the config from ${options.outDir}`);
    }
    // A first SIGINT or SIGTERM lets the jobs in flight finish and writes what
    // is done; a second one stops at once (the browsers go with the process).
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopped) {
        logger.error(`${signal} again: stopping now; run the same command again to resume`);
        abandonWrites();
        lock?.release();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopped = signal;
      logger.warn(`${signal}: finishing the jobs in flight, then stopping (send it again to stop at once)`);
      farm?.stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    removeSignalHandlers = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    await farm?.run(
      todo,
      async (request, result, error, info) => {
        const job = byKey.get(request.jobKey)!;
        if (!result || !info) {
          let message = error?.message.split('\n')[0] ?? 'unknown error';
          const cause = message.indexOf(MODEL_LOAD_FAILED);
          if (cause >= 0 && !brokenModels.has(job.model.id)) {
            // The file is at fault, not the page: the model's other jobs fail with it.
            message = `model ${job.model.id}: ${job.model.file ?? job.model.procedural}: ${message.slice(cause + MODEL_LOAD_FAILED.length)}`;
            brokenModels.set(job.model.id, message);
            logger.error(`${message}; its jobs are skipped; fix the file or remove "${job.model.id}" from models`);
          }
          failed.push({ key: job.key, error: brokenModels.get(job.model.id) ?? message });
          if (!brokenModels.has(job.model.id)) logger.error(`job ${job.key} failed: ${message}`);
          progress.tick(true);
          return;
        }
        try {
          const image = await finishJob(job, request, result, info, config, segmentation, options.outDir, options.pairs ?? false);
          const counts = { ignored: image.ignored, dropped: image.dropped, faint: image.faint, hidden: image.hidden, unplaced: result.unplaced.length };
          const recordStarted = performance.now();
          await writeJobRecord(options.outDir, { key: job.key, fingerprint: fingerprints.get(job.key)!, rendered: image.rendered, counts });
          stages.add({ ...result.timings, ...image.timings, recordMs: performance.now() - recordStarted });
          rendered.push(image.rendered);
          count(counts);
          progress.tick(false);
        } catch (e) {
          const reason = refusedWrite(e);
          if (reason) {
            // Not the job's fault: it stays undone, for a resumed run.
            if (!refused) logger.error(`${options.outDir}: a write failed: ${reason}; stopping after the jobs in flight`);
            refused ??= reason;
            farm?.stop();
            progress.tick(true);
            return;
          }
          failed.push({ key: job.key, error: (e as Error).message });
          logger.error(`job ${job.key} failed after rendering: ${(e as Error).message}`);
          progress.tick(true);
        }
      },
      (request) => {
        const broken = brokenModels.get(request.modelId);
        return broken ? new Error(broken) : null;
      },
    );
    rendering = false;
  } finally {
    progress.finish();
    await farm?.close();
    await server.stop();
    removeSignalHandlers();
    if (rendering) lock?.release();
  }
  if (stopped) {
    logger.warn(`stopped by ${stopped} after ${rendered.length} of ${jobs.length} jobs; run the same command again to resume`);
  }

  try {
    const tally = { jobs: jobs.length, renderedNow: rendered.length - done, failed, ...totals, shard, started, farm, stopped, stages };
    if (!refused) return await writeDataset(options, config, models, rendered, tally, logger);
    const listed = await writeDataset(options, config, models, rendered, tally, logger).then(
      () => 'annotations.json lists them',
      () => 'annotations.json could not be written either; the resumed run writes it from their records',
    );
    throw new DentfarmError(
      'OUTPUT_FAILED',
      `${options.outDir}: cannot write there: ${refused}; ${rendered.length} of ${jobs.length} jobs are finished and kept (${listed}); fix: free space there or choose another --out, then run the same command again to resume`,
    );
  } finally {
    lock?.release();
  }
}

interface RunTally extends JobCounts {
  jobs: number;
  /** Images this run rendered (the others were done before it). */
  renderedNow: number;
  failed: RenderSummary['failed'];
  shard: Shard | null;
  started: number;
  farm: Farm | null;
  stopped: NodeJS.Signals | null;
  stages: StageTimings;
}

/** annotations.json, the split files and summary.json of a finished (or stopped) run. */
async function writeDataset(
  options: RenderOptions,
  config: SceneConfig,
  models: readonly ModelEntry[],
  rendered: RenderedImage[],
  tally: RunTally,
  logger: Logger,
): Promise<RenderSummary> {
  const { jobs: jobCount, failed, ignored, dropped, faint, hidden, unplaced, shard, started, farm } = tally;
  const seconds = (Date.now() - started) / 1000;
  const workerReports = (farm?.workers ?? []).filter(Boolean).map((w) => ({ worker: w.worker, renderer: w.info.renderer, software: w.info.software }));
  const dataset = buildCocoDataset(
    datasetInfo(config, models.map((m) => m.attribution).filter(Boolean)),
    [{ id: 1, name: 'see info.model_licences', url: '' }],
    rendered,
    options.parts ? [...CATEGORIES, ...PART_CATEGORIES] : CATEGORIES,
  );
  const annotationCount = (dataset.annotations as unknown[]).length;
  const partIds = new Set(PART_CATEGORIES.map((c) => c.id));
  const partMasks = (dataset.annotations as { category_id: number }[]).filter((a) => partIds.has(a.category_id)).length;
  await writeAtomic(join(options.outDir, 'annotations.json'), `${JSON.stringify(dataset)}\n`);
  if (options.splits) {
    const counts = await writeSplits(options.outDir, dataset, options.splits);
    logger.info(`splits: ${Object.entries(counts).map(([name, n]) => `${name} ${n}`).join(', ')} images`);
  }
  const summary: RenderSummary = {
    jobs: jobCount,
    rendered: rendered.length,
    failed,
    annotations: annotationCount,
    ignoreRegions: ignored,
    dropped,
    faint,
    hidden,
    unplaced,
    seconds,
    imagesPerSecond: tally.renderedNow / seconds,
    stage_ms: tally.stages.medians(),
    workers: workerReports,
    shard,
    stopped: tally.stopped,
  };
  await writeAtomic(join(options.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  logger.info(
    `${rendered.length}/${jobCount} images, ${annotationCount - partMasks - ignored} damage instances${options.parts ? ` and ${partMasks} part masks` : ''}; ${ignored} ignore regions and ${dropped} dropped labels for damage under ${config.annotations.minVisiblePixels} px or too faint (${faint} of them: under ${config.annotations.minVisibleChange} of the pixels visibly changed); ${hidden} damages out of sight, ${unplaced} unplaced, ${failed.length} failed, in ${seconds.toFixed(1)} s (${summary.imagesPerSecond.toFixed(2)} img/s)`,
  );
  for (const line of failureLines(failed)) logger.error(line);
  if (rendered.length > 0) {
    logger.info(`to look at it: ${invocation()} serve ${shortPath(options.outDir)} (every image with its labels, and the balance report in the browser)`);
  }
  return summary;
}

/** The failures of a run, one line per distinct reason with how many jobs it cost; the full list is in summary.json. */
function failureLines(failed: RenderSummary['failed'], shown = 10): string[] {
  const byReason = new Map<string, string[]>();
  for (const { key, error } of failed) byReason.set(error, [...(byReason.get(error) ?? []), key]);
  const lines = [...byReason].slice(0, shown).map(([error, keys]) => `failed: ${keys.length === 1 ? `job ${keys[0]}` : `${keys.length} jobs`}: ${error}`);
  if (byReason.size > shown) lines.push(`failed: ${byReason.size - shown} more reasons; every failed job is listed in summary.json`);
  return lines;
}

/** What a job's output depends on beyond its request: input files, output options and dentfarm's code. */
function fingerprintInputs(job: Job, config: SceneConfig, options: RenderOptions, segmentation: string, hashes: InputHashes): Record<string, unknown> {
  const env = job.lighting.environment;
  const background = job.background.type === 'image' ? hashes.file(job.background.file) : null;
  return {
    code: [hashes.file(join(options.packageRoot, 'dist', 'renderer.js')), hashes.file(join(options.packageRoot, 'dist', 'cli.js'))],
    model: job.model.file ? hashes.model(job.model.file) : job.model.procedural,
    environment: existsSync(env) ? hashes.file(env) : env,
    background,
    output: { segmentation, pairs: options.pairs ?? false, format: config.image.format, annotations: config.annotations, augmentation: job.augmentation },
  };
}

/**
 * Jobs a worker's browser renders before a fresh one takes over. Its memory
 * measures flat over hundreds of jobs (BENCHMARKS.md); this bounds it anyway,
 * at the cost of one browser start (a few seconds) per this many jobs.
 */
const RECYCLE_AFTER_JOBS = 1000;

/** Before any browser starts: the output is a folder (or will be one) that no other run is using. */
function checkOutputFolder(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) {
    throw new DentfarmError('USAGE', `--out ${outDir}: that is a file, not a folder; fix: choose a new folder or one a run wrote before`);
  }
  FolderLock.assertFree(outDir);
}

/** Models whose file is missing, empty or corrupt, each with its problem. */
function checkModels(models: readonly ModelEntry[], logger: Logger): Map<string, string> {
  const broken = new Map<string, string>();
  for (const model of models) {
    const problem = model.file ? checkModelFile(model.file) : null;
    if (!problem) continue;
    const message = `model ${model.id}: ${model.file}: ${problem}`;
    broken.set(model.id, message);
    logger.error(`${message}; its jobs are skipped; fix the file or remove "${model.id}" from models`);
  }
  return broken;
}

/** `limit` jobs spread over the grid, so a preview touches every axis. */
function spreadOver(jobs: Job[], limit: number | undefined): Job[] {
  if (limit === undefined) return jobs;
  return spreadIndices(jobs.length, limit).map((i) => jobs[i]);
}

export function renderRequest(job: Job, config: SceneConfig, urls: RunUrls, options: RenderOptions): RenderRequest {
  const { environment, ...lighting } = job.lighting;
  const bg = job.background;
  return {
    jobKey: job.key,
    seed: job.seed,
    width: config.image.width,
    height: config.image.height,
    supersample: config.image.supersample,
    modelId: job.model.id,
    modelUrl: urls.model.get(job.model.id)!,
    rules: job.model.rules,
    paint: job.paint ? { name: job.paint.name, linear: job.paint.linear, finish: job.paint.finish } : { name: 'own-paint', linear: null, finish: 'solid' },
    lighting: {
      ...lighting,
      environmentUrl: urls.environment.get(environment)!,
      environmentHeadingDeg: bg.type === 'image' ? bg.camera?.environmentRotationDeg ?? null : null,
    },
    background:
      bg.type === 'image'
        ? { type: 'image', name: bg.name, url: urls.background.get(bg.name)!, ground: bg.ground }
        : bg.type === 'color'
          ? { type: 'color', name: bg.name, linear: bg.linear, ground: bg.ground }
          : { type: 'environment', name: bg.name, ground: bg.ground },
    camera: job.camera,
    damage: job.damage,
    placeVisible: config.placement === 'visible',
    // The twin also measures how visible each damage is, which needs it
    // only under the labels.
    twin: options.pairs ? 'full' : config.annotations.minVisibleChange > 0 ? 'labels' : 'none',
    amodal: options.amodal ?? false,
    partMasks: options.parts ?? false,
    dentLabelFraction: config.annotations.dentLabelFraction,
  };
}

async function finishJob(
  job: Job,
  request: RenderRequest,
  result: RenderResult,
  info: RendererInfo,
  config: SceneConfig,
  segmentation: 'rle' | 'polygon',
  outDir: string,
  pairs: boolean,
): Promise<{ rendered: RenderedImage; ignored: number; dropped: number; faint: number; hidden: number; timings: Omit<FinishTimings, 'recordMs'> }> {
  const { width, height, format } = config.image;
  const { quality } = job.augmentation;
  const lap = stopwatch();
  const color = flipRows(result.color, width, height);
  const id = flipRows(result.id, width, height);
  const twinBottomUp = twinPixels(result, result.color, width, height);
  const twin = twinBottomUp && flipRows(twinBottomUp, width, height);
  const partsId = result.partsId ? { width, height, data: flipRows(result.partsId, width, height) } : null;
  const decodeMs = lap();
  const labels = annotateJob({ width, height, data: id }, result.placed, result.parts.length, {
    segmentation,
    minVisiblePixels: config.annotations.minVisiblePixels,
    small: config.annotations.small,
    changed: twin && config.annotations.minVisibleChange > 0 ? changedPixels(color, twin, 4) : undefined,
    minVisibleChange: config.annotations.minVisibleChange,
    parts: partsId ? { id: partsId, names: result.parts } : undefined,
  });
  const partLabels = partsId ? annotateParts(partsId, result.parts, segmentation) : [];
  const annotateMs = lap();
  const baseName = `${job.key.replace(/\//g, '__')}${IMAGE_EXTENSIONS[format]}`;
  const fileName = `images/${baseName}`;
  // Degradations come after the labels and the visibility check, which see the clean render.
  const encode = async (rgba: Uint8Array) => encodeImage(await augmentImage(rgba, width, height, job.augmentation, job.seed), width, height, format, quality);
  const encoded = await encode(color);
  const twinName = twin && pairs ? `twins/${baseName}` : null;
  const twinEncoded = twinName ? await encode(twin!) : null;
  const encodeMs = lap();
  await writeAtomic(join(outDir, fileName), encoded);
  if (twinName) await writeAtomic(join(outDir, twinName), twinEncoded!);
  const writeMs = lap();
  return {
    timings: { decodeMs, annotateMs, encodeMs, writeMs },
    ignored: labels.ignored,
    dropped: labels.dropped,
    faint: labels.faint,
    hidden: labels.hidden,
    rendered: {
      image: {
        id: job.index + 1,
        file_name: fileName,
        width,
        height,
        license: 1,
        dentfarm: {
          key: job.key,
          seed: job.seed,
          model: { id: job.model.id, make: job.model.make, model: job.model.model, body_style: job.model.bodyStyle },
          paint: job.paint ? { name: job.paint.name, hex: job.paint.hex, finish: job.paint.finish } : null,
          lighting: request.lighting.name,
          lighting_values: {
            ...job.lighting,
            environment: relativeOrBuiltin(job.lighting.environment, config.file),
            environmentRotationDeg: Number(result.environmentRotationDeg.toFixed(3)),
          },
          background: job.background.name,
          view: job.view,
          sample: job.sample,
          augmentation: job.augmentation,
          camera: cameraRecord(result.camera, request.camera, width, height),
          damage_requested: job.damage.length,
          damage_unplaced: result.unplaced.map((u) => u.reason),
          plates_removed: result.platesRemoved,
          webgl_renderer: info.renderer,
          ...(twinName ? { twin_file_name: twinName } : {}),
        },
      },
      annotations: [...labels.annotations, ...partLabels],
    },
  };
}

function relativeOrBuiltin(environment: string, configFile: string): string {
  return environment.includes(':') || environment === 'studio' ? environment : relative(join(configFile, '..'), environment);
}

function datasetInfo(config: SceneConfig, attributions: string[]): Record<string, unknown> {
  const configHash = createHash('sha256').update(readFileSync(config.file)).digest('hex');
  return {
    description: `dentfarm synthetic car damage dataset: ${config.name}`,
    version: '1.0',
    contributor: 'dentfarm',
    url: '',
    year: 2026,
    seed: config.seed,
    // Where the config was read, so report and serve can set what was asked against what came out.
    config_file: config.file,
    config_sha256: configHash,
    model_licences: attributions,
  };
}
