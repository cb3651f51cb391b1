/**
 * `dentfarm doctor`: starts one worker exactly as a render would, says which
 * browser and WebGL renderer it got (GPU or software), and renders the
 * calibration scene through the real colour path, checking it against
 * values known from first principles: linear 0.5 grey is sRGB 188, the
 * image is the right way up, edges do not darken and blend in linear light.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssetServer } from '../farm/asset-server';
import { findChromium } from '../farm/find-chromium';
import { RendererPage } from '../farm/renderer-page';
import { RENDERER_PAGE } from '../farm/run-assets';
import type { GlBackend } from '../farm/browser-flags';
import { writeImage } from '../output/image-writer';
import type { Logger } from '../log/logger';

export interface DoctorOptions {
  packageRoot: string;
  chromium?: string;
  gl: GlBackend;
  /** Also write the calibration image here (PNG). */
  out?: string;
  /** Chromium's sandbox; default on (off as root). */
  sandbox?: boolean;
}

export interface DoctorReport {
  lines: string[];
  /** Checks that failed, each a line. */
  failures: string[];
}

const W = 64;
const H = 48;
const SUPERSAMPLE = 2;

export async function runDoctor(options: DoctorOptions, logger: Logger): Promise<DoctorReport> {
  const executablePath = findChromium(options.chromium, process.env, (m) => logger.warn(m));
  const server = new AssetServer();
  server.addFile(RENDERER_PAGE, readFileSync(join(options.packageRoot, 'scenes', 'renderer.html')));
  server.addFile('/renderer.js', readFileSync(join(options.packageRoot, 'dist', 'renderer.js')));
  await server.start();
  let page: RendererPage | null = null;
  try {
    page = await RendererPage.open({ executablePath, gl: options.gl, assets: server, pagePath: RENDERER_PAGE, jobTimeoutMs: 60_000, sandbox: options.sandbox });
    const info = page.info;
    const lines = [
      `browser: ${executablePath} (${await page.version()})`,
      `WebGL: ${info.webglVersion}, Babylon.js ${info.babylonVersion}`,
      `renderer: ${info.renderer} (${info.vendor})`,
      `rendering on: ${info.software ? 'the CPU (software)' : 'the GPU'}, asked for --gl ${options.gl}`,
      `sandbox: ${isRoot() ? 'off (running as root, where Chromium refuses it)' : options.sandbox === false ? 'off (--no-sandbox)' : 'on'}`,
    ];
    const failures: string[] = [];
    if (options.gl !== 'swiftshader' && info.software) {
      failures.push(`--gl ${options.gl} fell back to software rendering; check the GPU driver, the EGL/Vulkan libraries and /dev/dri or the NVIDIA runtime`);
    }
    const started = performance.now();
    const rgba = await page.calibrate(W, H, SUPERSAMPLE);
    lines.push(`calibration: ${W}x${H} with ${SUPERSAMPLE}x${SUPERSAMPLE} samples in ${(performance.now() - started).toFixed(0)} ms`);
    failures.push(...checkCalibration(rgba));
    if (options.out) {
      await writeImage(options.out, rgba, W, H, 'png', 100);
      lines.push(`calibration image: ${options.out}`);
    }
    lines.push(failures.length === 0 ? 'all checks passed' : `${failures.length} check(s) failed`);
    return { lines, failures };
  } finally {
    await page?.close();
    await server.stop();
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The calibration image's known facts (see renderer/calibration.ts), one failure line each. */
export function checkCalibration(rgba: Uint8Array): string[] {
  const failures: string[] = [];
  const at = (x: number, y: number) => [...rgba.subarray(4 * (y * W + x), 4 * (y * W + x) + 3)];
  const grey = at(W / 4, H / 2);
  if (grey.some((v) => Math.abs(v - 188) > 2)) {
    failures.push(`linear 0.5 grey came out as ${grey.join(',')}, not sRGB 188: the colour path is not linear to sRGB`);
  }
  const top = at((3 * W) / 4, H / 8);
  const bottom = at(W - 2, H - 2);
  if (!(top[0] > 250 && top[1] < 5 && top[2] < 5 && bottom.every((v) => v < 5))) {
    failures.push(`the image is upside down or shifted: top right ${top.join(',')} (want red), bottom right ${bottom.join(',')} (want black)`);
  }
  // White disc on white: rows H/4 to H/2 of the right half.
  let darkest = 255;
  for (let y = H / 4 + 1; y < H / 2 - 1; y++) for (let x = W / 2 + 1; x < W - 1; x++) darkest = Math.min(darkest, ...at(x, y));
  if (darkest < 254) failures.push(`a white disc on white has a pixel of ${darkest}: edges darken (premultiplied alpha or a wrong blend)`);
  // White disc on black: its linear coverage adds up to its area, an ellipse
  // of semi-axes 0.2 of the half-width and half-height.
  let coverage = 0;
  for (let y = (5 * H) / 8; y < H; y++) {
    for (let x = W / 2; x < W; x++) {
      const c = at(x, y)[0] / 255;
      coverage += c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }
  }
  const area = Math.PI * (0.2 * W / 2) * (0.2 * H / 2);
  if (Math.abs(coverage - area) > 0.05 * area) {
    failures.push(`a white disc on black covers ${coverage.toFixed(1)} px in linear light, its area is ${area.toFixed(1)}: edges are not blended in linear light`);
  }
  return failures;
}
