/**
 * One farm worker: its own headless Chromium with one page that loads the
 * renderer once and keeps it, with every model it has loaded, across jobs.
 * The page may only reach the farm's asset server; any other request is
 * aborted.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { PageRenderResult, RenderRequest, RenderResult, RendererInfo } from '../protocol';
import type { AssetServer, Upload } from './asset-server';
import { DentfarmError } from '../errors';
import { browserFlags, type GlBackend } from './browser-flags';
import { flipRows } from '../pipeline/flip-rows';
import { median } from '../pipeline/stage-timings';

function firstLineOf(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0];
}

/** Where Chromium's sandbox could not start (no user namespaces), how to run it. */
function sandboxFix(error: unknown): string {
  const text = (error as Error).message ?? '';
  if (!/sandbox|namespace/i.test(text)) return '';
  return "; fix: Chromium's sandbox needs user namespaces, which this machine or container refuses (Docker's default seccomp profile does): allow them (a seccomp profile that permits clone/unshare with CLONE_NEWUSER, or kernel.unprivileged_userns_clone=1), or run with --no-sandbox";
}

/** What gives a browser WebGL2 back, for the backend that was asked for. */
function webglFix(gl: GlBackend): string {
  if (gl === 'swiftshader') {
    return "use a Chromium that ships SwiftShader (Debian: apt-get install chromium; dentfarm starts it with --use-angle=swiftshader --enable-unsafe-swiftshader) and no flag that turns WebGL off (--disable-webgl2, --disable-gpu with --disable-software-rasterizer), then run dentfarm doctor";
  }
  return `the GPU gave no WebGL2 through ANGLE on ${gl === 'egl' ? 'EGL' : 'Vulkan'}: install the driver's ${gl === 'egl' ? 'EGL (libegl1 and the vendor ICD)' : 'Vulkan loader and ICD (libvulkan1)'} or, in a container, run it with the NVIDIA runtime and NVIDIA_DRIVER_CAPABILITIES including graphics; or render on the CPU with --gl swiftshader; dentfarm doctor --gl ${gl} checks it`;
}

/** `sent` with its pixels cut from `body`, the bytes its page uploaded. */
function withPixels(sent: PageRenderResult, body: Buffer | null, jobKey: string): RenderResult {
  const { pixels, ...rest } = sent;
  const lengths = [pixels.color, pixels.id, pixels.twin ?? 0, pixels.partsId ?? 0];
  const total = lengths.reduce((n, length) => n + length, 0);
  if (!body || body.length !== total) {
    throw new Error(`job ${jobKey}: the page sent ${body ? `${body.length} bytes of pixels, expected ${total}` : 'no pixels'}`);
  }
  let at = 0;
  const cut = (length: number | null) => {
    if (length === null) return null;
    const bytes = body.subarray(at, at + length);
    at += length;
    return bytes;
  };
  return { ...rest, color: cut(pixels.color)!, id: cut(pixels.id)!, twin: cut(pixels.twin), partsId: cut(pixels.partsId) };
}

/** How long a browser may take to close before it is killed. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface RendererPageOptions {
  executablePath: string;
  gl: GlBackend;
  /** The run's asset server, started: the only origin the page may reach, and where it sends its pixels. */
  assets: AssetServer;
  /** Path of the renderer page on the asset server. */
  pagePath: string;
  /** Longest a single job may take before it is abandoned, ms. */
  jobTimeoutMs: number;
  /** Told of every request the page made outside the asset server, which was blocked. */
  onBlocked?: (url: string) => void;
  /** Chromium's own sandbox (default on; always off as root, where Chromium refuses it). */
  sandbox?: boolean;
}

export class RendererPage {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    readonly info: RendererInfo,
    private readonly options: RendererPageOptions,
  ) {}

  static async open(options: RendererPageOptions): Promise<RendererPage> {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: options.executablePath,
        headless: true,
        // Over a pipe the browser exits when this process dies, even by SIGKILL.
        pipe: true,
        // The farm handles signals itself: it finishes the jobs in flight first.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        args: browserFlags(options.gl, isRoot || options.sandbox === false),
        protocolTimeout: Math.max(options.jobTimeoutMs * 2, 180_000),
        defaultViewport: null,
      });
    } catch (error) {
      throw new DentfarmError(
        'BROWSER_FAILED',
        `could not start ${options.executablePath}: ${firstLineOf(error)}${sandboxFix(error)}`,
        { cause: error },
      );
    }
    try {
      const page = await browser.newPage();
      // Every URL of the run starts with its root, token included.
      const root = options.assets.url('');
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith(root + '/') || url.startsWith('data:') || url.startsWith('blob:')) {
          void request.continue();
        } else {
          options.onBlocked?.(url);
          void request.abort('blockedbyclient');
        }
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(root + options.pagePath, { waitUntil: 'load', timeout: 120_000 });
      const info = await page.evaluate(() => (window as any).dentfarm.init()).catch((error: Error) => {
        const reason = error.message.split('\n')[0];
        throw new DentfarmError(
          'WEBGL_UNAVAILABLE',
          `renderer failed to start in ${options.executablePath}: ${reason}${errors.length ? ` (${errors[0]})` : ''}; fix: ${/webgl/i.test(reason) ? webglFix(options.gl) : 'run dentfarm doctor to check the browser'}`,
        );
      });
      return new RendererPage(browser, page, info as RendererInfo, options);
    } catch (error) {
      await browser.close().catch(() => undefined);
      throw error;
    }
  }

  async render(request: RenderRequest): Promise<RenderResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`job ${request.jobKey} took longer than ${this.options.jobTimeoutMs} ms`)),
        this.options.jobTimeoutMs,
      );
    });
    // A renderer process that dies leaves the call unanswered: fail the job at once, not at the timeout.
    // `on`, not `once`: `off` could not remove the wrapper `once` adds, and each job's listener would
    // keep its result, through the race below, for as long as the page lives.
    let onCrash: (error: Error) => void = () => {};
    const crashed = new Promise<never>((_, reject) => {
      onCrash = (error) => reject(new Error(`job ${request.jobKey}: the renderer page crashed (${error.message})`));
      this.page.on('error', onCrash);
    });
    const upload = this.openUpload(request);
    try {
      const started = performance.now();
      const sent = await Promise.race([
        this.page.evaluate((r) => (window as any).dentfarm.render(r), { ...request, upload } as any) as Promise<PageRenderResult>,
        timeout,
        crashed,
      ]);
      const body = this.options.assets.take(upload.id);
      const result = withPixels(sent, body, request.jobKey);
      result.timings.transferMs = Math.max(0, performance.now() - started - result.timings.totalMs);
      return result;
    } finally {
      this.options.assets.take(upload.id);
      clearTimeout(timer);
      this.page.off('error', onCrash);
    }
  }

  /**
   * The rendering floor of `request`: the page renders it once in full, then
   * `repeats` times only its colour and ID passes with their readbacks (see
   * the renderer's `floor`). Milliseconds: the median and every repeat.
   */
  async floor(request: RenderRequest, repeats: number): Promise<{ medianMs: number; runsMs: number[] }> {
    // Its full render sends its pixels like any job's; they are dropped.
    const upload = this.openUpload(request);
    try {
      const runsMs = (await this.page.evaluate((r, n) => (window as any).dentfarm.floor(r, n), { ...request, upload } as any, repeats)) as number[];
      return { medianMs: median(runsMs), runsMs };
    } finally {
      this.options.assets.take(upload.id);
    }
  }

  /** An upload for the pixels of `request`: four buffers of at most width x height x 4 bytes each. */
  private openUpload(request: RenderRequest): Upload {
    return this.options.assets.openUpload(16 * request.width * request.height);
  }

  /** The calibration scene's pixels: RGBA, rows top-down. */
  async calibrate(width: number, height: number, supersample: number): Promise<Uint8Array> {
    const base64 = (await this.page.evaluate(
      (w, h, s) => (window as any).dentfarm.calibrate(w, h, s),
      width,
      height,
      supersample,
    )) as string;
    return flipRows(Buffer.from(base64, 'base64'), width, height);
  }

  /** The browser's own version string. */
  version(): Promise<string> {
    return this.browser.version();
  }

  /** Process id of the browser, for diagnostics and crash tests. */
  get pid(): number | undefined {
    return this.browser.process()?.pid;
  }

  /**
   * Closes the browser; one that does not exit within a few seconds (a hung
   * renderer holds the close up) is killed. Then whatever is left of its
   * process group goes too: a frozen renderer outlives its browser.
   */
  async close(): Promise<void> {
    const pid = this.browser.process()?.pid;
    let timer: NodeJS.Timeout | undefined;
    const closed = this.browser.close().then(
      () => true,
      () => false,
    );
    const inTime = await Promise.race([closed, new Promise<boolean>((done) => (timer = setTimeout(() => done(false), CLOSE_TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (pid === undefined) return;
    try {
      // The browser leads its own process group (puppeteer starts it detached):
      // the group takes the browser itself if it would not close, and any straggler.
      if (process.platform !== 'win32') process.kill(-pid, 'SIGKILL');
      else if (!inTime) process.kill(pid, 'SIGKILL');
    } catch {
      // Nothing left of it.
    }
  }
}
