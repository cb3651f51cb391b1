/**
 * What it costs to move a job's pixels from a page to Node, both ways a
 * farm could: the page POSTs the raw bytes to an upload on the asset server
 * (what the farm does), or it returns them as base64 text through the
 * DevTools protocol and Node decodes them. Same bytes, same browser, taken
 * in turns, so the benchmark can show the choice by measurement.
 */
import puppeteer from 'puppeteer-core';
import { AssetServer } from '../farm/asset-server';
import { browserFlags } from '../farm/browser-flags';
import { median } from './stage-timings';

export interface TransferReport {
  /** Bytes moved each time: a colour and an ID buffer of width x height RGBA. */
  bytes: number;
  postMs: number;
  base64Ms: number;
  repeats: number;
}

const PAGE = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body></body></html>';

export async function measureTransfer(executablePath: string, width: number, height: number, repeats: number): Promise<TransferReport> {
  const server = new AssetServer();
  server.addFile('/transfer.html', new TextEncoder().encode(PAGE));
  await server.start();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const browser = await puppeteer.launch({ executablePath, headless: true, pipe: true, args: browserFlags('swiftshader', isRoot) });
  try {
    const page = await browser.newPage();
    await page.goto(server.url('/transfer.html'), { waitUntil: 'load' });
    const bytes = width * height * 4;
    // Noise-like bytes, so neither way gains from a repetitive pattern.
    await page.evaluate((n) => {
      const buffers = [new Uint8Array(n), new Uint8Array(n)];
      let x = 2463534242;
      for (const b of buffers) {
        for (let i = 0; i < n; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          b[i] = x & 255;
        }
      }
      (window as unknown as { buffers: Uint8Array[] }).buffers = buffers;
    }, bytes);
    const post: number[] = [];
    const base64: number[] = [];
    for (let i = 0; i < repeats; i++) {
      let started = performance.now();
      const upload = server.openUpload(2 * bytes);
      await page.evaluate(async (url) => {
        const { buffers } = window as unknown as { buffers: Uint8Array[] };
        const sent = await fetch(url, { method: 'POST', body: new Blob(buffers as BlobPart[]) });
        if (!sent.ok) throw new Error(`upload refused: HTTP ${sent.status}`);
      }, upload.url);
      const body = server.take(upload.id);
      post.push(performance.now() - started);
      if (body?.length !== 2 * bytes) throw new Error(`transfer: the upload brought ${body?.length ?? 0} bytes, expected ${2 * bytes}`);

      started = performance.now();
      const text = await page.evaluate(() => {
        const { buffers } = window as unknown as { buffers: (Uint8Array & { toBase64(): string })[] };
        return buffers.map((b) => b.toBase64());
      });
      const decoded = text.map((t) => Buffer.from(t, 'base64'));
      base64.push(performance.now() - started);
      if (decoded[0].length !== bytes) throw new Error(`transfer: base64 brought ${decoded[0].length} bytes, expected ${bytes}`);
    }
    return { bytes: 2 * bytes, postMs: median(post), base64Ms: median(base64), repeats };
  } finally {
    await browser.close();
    await server.stop();
  }
}
