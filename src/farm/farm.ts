/**
 * The farm: N workers, each a Chromium page with the renderer loaded once,
 * fed by a p-queue. A job that fails is retried on a fresh page, up to a
 * limit; the farm reports each job's result or final error to the caller.
 */
import PQueue from 'p-queue';
import { MODEL_LOAD_FAILED, type RenderRequest, type RenderResult, type RendererInfo } from '../protocol';
import type { Logger } from '../log/logger';
import { DentfarmError } from '../errors';
import { RendererPage, type RendererPageOptions } from './renderer-page';

export interface FarmOptions extends RendererPageOptions {
  workers: number;
  /** Attempts per job, the first included. */
  attempts: number;
  /**
   * Jobs a browser renders before it is replaced by a fresh one, so that
   * whatever a page might accumulate over a long run is given back. A page's
   * memory measures flat over hundreds of jobs; this bounds it regardless.
   */
  recycleAfterJobs?: number;
}

export interface WorkerReport {
  worker: number;
  info: RendererInfo;
  pid: number | undefined;
}

export class Farm {
  private readonly idle: RendererPage[] = [];
  private readonly all = new Set<RendererPage>();
  /** Jobs each live page has finished. */
  private readonly finished = new Map<RendererPage, number>();
  readonly workers: WorkerReport[] = [];

  private constructor(
    private readonly options: FarmOptions,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts the first worker and returns once it is up, with its WebGL
   * renderer checked. The others start once the first job is done (see
   * `run`) and take jobs as each comes up: on a machine whose cores the
   * renderer already fills, browsers starting beside the first job would
   * only delay the first image.
   */
  static async start(options: FarmOptions, logger: Logger): Promise<Farm> {
    const farm = new Farm(options, logger);
    try {
      farm.idle.push(await farm.openPage(0));
    } catch (error) {
      await farm.close();
      throw error;
    }
    return farm;
  }

  private othersStarted = false;

  private startOthers(): void {
    if (this.othersStarted || this.stopping) return;
    this.othersStarted = true;
    for (let worker = 1; worker < this.options.workers; worker++) {
      this.track(
        this.openPage(worker).then(
          (page) => this.givePage(page),
          (error) => this.logger.error(`worker ${worker} could not start: ${firstLine(error as Error)}; going on with fewer`),
        ),
      );
    }
  }

  private async openPage(worker: number): Promise<RendererPage> {
    const page = await RendererPage.open({
      ...this.options,
      onBlocked: (url) => this.logger.warn(`worker ${worker}: blocked a request to ${url.slice(0, 200)}: pages reach only the run's own asset server`),
    });
    this.all.add(page);
    const report = { worker, info: page.info, pid: page.pid };
    this.workers[worker] = report;
    const gpuAsked = this.options.gl !== 'swiftshader';
    this.logger.info(`worker ${worker}: ${page.info.renderer} (${page.info.webglVersion})`, {
      worker,
      renderer: page.info.renderer,
      software: page.info.software,
    });
    if (gpuAsked && page.info.software) {
      this.logger.warn(
        `worker ${worker}: GPU rendering (--gl ${this.options.gl}) was asked for but Chromium fell back to software (${page.info.renderer}); check the GPU driver, the EGL/Vulkan libraries and /dev/dri or the NVIDIA runtime`,
      );
    }
    return page;
  }

  /**
   * Renders every request; `onResult` sees each success or final failure.
   * `failsAlready` may fail a request before it is tried (its model is known
   * to be broken). A model that cannot be loaded is not retried: the page is
   * fine and the file would fail again.
   */
  async run(
    requests: Iterable<RenderRequest>,
    onResult: (request: RenderRequest, result: RenderResult | null, error: Error | null, info: RendererInfo | null) => Promise<void>,
    failsAlready: (request: RenderRequest) => Error | null = () => null,
  ): Promise<void> {
    const queue = new PQueue({ concurrency: this.options.workers });
    this.queue = queue;
    let failure: unknown = null;
    for (const request of requests) {
      // The first job to end, done or failed, lets the other workers start.
      // (A job cleared by `stop` never settles: wait for the queue, not for it.)
      queue
        .add(() => this.runJob(request, onResult, failsAlready).finally(() => this.startOthers()))
        .catch((error: unknown) => (failure ??= error));
    }
    await queue.onIdle();
    await Promise.all(this.handling);
    failure ??= this.handlingFailure;
    if (failure) throw failure;
  }

  /** Results handed to the caller whose handling (masks, encoding, writing) has not ended. */
  private readonly handling = new Set<Promise<void>>();
  private handlingFailure: unknown = null;

  /**
   * Lets the caller handle a result while the worker renders its next job,
   * so that masks, encoding and writing are off the render path. A worker
   * waits only once more results are in hand than there are workers: Node
   * then falls behind the pages, and taking more would only hold memory.
   */
  private async handOff(handled: Promise<void>): Promise<void> {
    const tracked: Promise<void> = handled
      .catch((error: unknown) => {
        this.handlingFailure ??= error;
      })
      .finally(() => this.handling.delete(tracked));
    this.handling.add(tracked);
    while (this.handling.size > this.options.workers) await Promise.race(this.handling);
  }

  private async runJob(
    request: RenderRequest,
    onResult: (request: RenderRequest, result: RenderResult | null, error: Error | null, info: RendererInfo | null) => Promise<void>,
    failsAlready: (request: RenderRequest) => Error | null,
  ): Promise<void> {
    const known = failsAlready(request);
    if (known) return onResult(request, null, known, null);
    let lastError: Error | null = null;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      let page: RendererPage;
      try {
        page = await this.takePage();
      } catch (error) {
        lastError = error as Error;
        break;
      }
      let result: RenderResult;
      try {
        result = await page.render(request);
      } catch (error) {
        lastError = error as Error;
        if (firstLine(lastError).includes(MODEL_LOAD_FAILED)) {
          this.givePage(page);
          break;
        }
        this.logger.warn(`job ${request.jobKey} attempt ${attempt}/${this.options.attempts} failed: ${firstLine(lastError)}`);
        await this.replace(page);
        continue;
      }
      const done = (this.finished.get(page) ?? 0) + 1;
      this.finished.set(page, done);
      if (done >= (this.options.recycleAfterJobs ?? Infinity)) {
        this.logger.info(`worker ${this.workerOf(page)}: replacing its browser after ${done} jobs`);
        void this.replace(page);
      } else {
        this.givePage(page);
      }
      return this.handOff(onResult(request, result, null, page.info));
    }
    await onResult(request, null, lastError, null);
  }

  private queue: PQueue | null = null;

  private stopping = false;

  /** Starts no more jobs; those in flight finish and `run` then returns. */
  stop(): void {
    this.stopping = true;
    this.queue?.clear();
  }

  private readonly waiting: { resolve: (page: RendererPage) => void; reject: (e: Error) => void }[] = [];

  private takePage(): Promise<RendererPage> {
    const page = this.idle.pop();
    if (page) return Promise.resolve(page);
    if (this.all.size === 0 && this.starting.size === 0) return Promise.reject(this.noWorkersLeft());
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private givePage(page: RendererPage): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(page);
    else this.idle.push(page);
  }

  private noWorkersLeft(): DentfarmError {
    return new DentfarmError('BROWSER_FAILED', 'every renderer worker failed and none could be restarted; see the errors above');
  }

  /** Pages starting or being replaced: a job waiting for a page may still get one of them, and close waits for them. */
  private readonly starting = new Set<Promise<void>>();

  private track(start: Promise<void>): Promise<void> {
    const tracked = start.finally(() => {
      this.starting.delete(tracked);
      if (this.all.size === 0 && this.starting.size === 0) {
        for (const waiter of this.waiting.splice(0)) waiter.reject(this.noWorkersLeft());
      }
    });
    this.starting.add(tracked);
    return tracked;
  }

  /** Swaps a page for a fresh one: after a failure, so one bad job cannot poison the next, or after its share of jobs. */
  private replace(page: RendererPage): Promise<void> {
    return this.track(this.swap(page));
  }

  private async swap(page: RendererPage): Promise<void> {
    this.all.delete(page);
    this.finished.delete(page);
    const worker = this.workerOf(page);
    try {
      await page.close();
      this.givePage(await this.openPage(worker < 0 ? this.workers.length : worker));
    } catch (error) {
      this.logger.error(`worker ${worker} could not be restarted: ${firstLine(error as Error)}`);
    }
  }

  private workerOf(page: RendererPage): number {
    return this.workers.findIndex((w) => w?.pid === page.pid);
  }

  async close(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.starting);
    await Promise.all([...this.all].map((p) => p.close()));
    this.all.clear();
    this.idle.length = 0;
  }
}

function firstLine(error: Error): string {
  return (error.message ?? String(error)).split('\n')[0];
}
