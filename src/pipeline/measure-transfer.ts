/**
 * What it costs to move a job's pixels from a page to Node, both ways a
 * farm could: the page sends the raw bytes as one WebSocket message to an
 * upload on the asset server (what the farm does), or it returns them as
 * base64 text through the DevTools protocol and Node decodes them. Same
 * bytes, same browser, taken in turns, with request interception on as in
 * a farm page, so the benchmark can show the choice by measurement.
 */
import puppeteer from 'puppeteer-core';
import { AssetServer } from '../farm/asset-server';
import { browserFlags } from '../farm/browser-flags';
import { median } from './stage-timings';

export interface TransferReport {
  /** Bytes moved each time: a colour and an ID buffer of width x height RGBA. */
  bytes: number;
  socketMs: number;
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
    // As in a farm page: every request passes through interception.
    await page.setRequestInterception(true);
    page.on('request', (request) => void request.continue());
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
    const socket: number[] = [];
    const base64: number[] = [];
    for (let i = 0; i < repeats; i++) {
      let started = performance.now();
      const upload = server.openUpload(2 * bytes);
      await page.evaluate(async ({ id, socket }) => {
        const { buffers } = window as unknown as { buffers: Uint8Array[] };
        const state = window as unknown as { uploadSocket?: WebSocket };
        if (!state.uploadSocket) {
          const ws = new WebSocket(socket);
          await new Promise((open, fail) => ((ws.onopen = open), (ws.onerror = fail)));
          state.uploadSocket = ws;
        }
        const ws = state.uploadSocket;
        const answer = new Promise<string>((reply) => (ws.onmessage = (event) => reply(String(event.data))));
        ws.send(new Blob([Uint32Array.of(id), ...buffers] as BlobPart[]));
        if ((await answer) !== `${id} ok`) throw new Error(`upload refused: ${await answer}`);
      }, upload);
      const body = server.take(upload.id);
      socket.push(performance.now() - started);
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
    return { bytes: 2 * bytes, socketMs: median(socket), base64Ms: median(base64), repeats };
  } finally {
    await browser.close();
    await server.stop();
  }
}
