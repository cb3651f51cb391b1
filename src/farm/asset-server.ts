/**
 * The only origin a renderer page talks to: an HTTP server on 127.0.0.1
 * that serves the renderer, the run's models, environments and
 * backgrounds, from an explicit table of routes. Every URL starts with a
 * token drawn per run, so no other process on the machine can read through
 * it; nothing outside the mounted files can be reached, not through `..`
 * and not through a link inside a mounted folder.
 *
 * It also takes each job's pixels back from its page: one POST of raw
 * bytes to an upload URL the farm opened for that job, up to the size it
 * allowed. That moves them several times faster than base64 text over the
 * DevTools protocol.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.hdr': 'application/octet-stream',
  '.env': 'application/octet-stream',
};

export class AssetServer {
  private readonly files = new Map<string, () => Promise<Uint8Array>>();
  private readonly folders = new Map<string, string>();
  private server: Server | null = null;
  private base = '';
  private readonly token = randomBytes(16).toString('hex');
  /** Open uploads by id: the most bytes each may bring, and what came. */
  private readonly uploads = new Map<string, { limit: number; body: Buffer | null }>();
  private uploadCount = 0;

  /** Serves `bytes` (or what `load` returns) at `path`, e.g. "/renderer.js". */
  addFile(path: string, load: Uint8Array | (() => Promise<Uint8Array>)): string {
    this.files.set(path, typeof load === 'function' ? load : async () => load);
    return this.url(path);
  }

  /** Serves every file under `dir` below the URL prefix `prefix`. */
  addFolder(prefix: string, dir: string): string {
    // Resolved once: a request's file must lie under the folder's real path.
    this.folders.set(prefix.replace(/\/$/, ''), existsSync(dir) ? realpathSync(dir) : dir);
    return this.url(prefix.replace(/\/$/, '') + '/');
  }

  /** The URL of `path`: absolute once started, else from the root of the origin (the page resolves it). */
  url(path: string): string {
    return `${this.base}/${this.token}${path}`;
  }

  /**
   * Opens an upload of at most `limit` bytes; the page POSTs them to `url`
   * once, and `take(id)` hands them over and closes it.
   */
  openUpload(limit: number): { id: string; url: string } {
    const id = String(++this.uploadCount);
    this.uploads.set(id, { limit, body: null });
    return { id, url: this.url(`/uploads/${id}`) };
  }

  /** The bytes upload `id` received (null if none came); closes it either way. */
  take(id: string): Buffer | null {
    const upload = this.uploads.get(id);
    this.uploads.delete(id);
    return upload?.body ?? null;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const prefix = `/${this.token}/uploads/`;
    const path = (req.url ?? '').split('?')[0];
    const upload = path.startsWith(prefix) ? this.uploads.get(path.slice(prefix.length)) : undefined;
    if (!upload || upload.body) {
      res.writeHead(404, { connection: 'close' }).end();
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > upload.limit) {
        res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > upload.limit) return;
      upload.body = Buffer.concat(chunks, size);
      res.writeHead(204).end();
    });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.method === 'POST') {
        this.receive(req, res);
        return;
      }
      this.handle(req.url ?? '/')
        .then((body) => {
          if (!body) {
            res.writeHead(404).end();
            return;
          }
          const type = TYPES[extname((req.url ?? '').split('?')[0])] ?? 'application/octet-stream';
          res.writeHead(200, { 'content-type': type, 'content-length': body.byteLength });
          res.end(body);
        })
        .catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this.url('');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(rawUrl: string): Promise<Uint8Array | null> {
    let path: string;
    try {
      path = decodeURIComponent(rawUrl.split('?')[0]);
    } catch {
      return null;
    }
    if (!path.startsWith(`/${this.token}/`)) return null;
    path = path.slice(this.token.length + 1);
    const file = this.files.get(path);
    if (file) return file();
    for (const [prefix, dir] of this.folders) {
      if (!path.startsWith(prefix + '/')) continue;
      const relative = normalize(path.slice(prefix.length + 1));
      if (relative.startsWith('..') || relative.includes(`${sep}..`)) return null;
      try {
        // A link may point anywhere: serve only what really lies in the folder.
        const real = await realpath(join(dir, relative));
        if (!real.startsWith(dir + sep)) return null;
        return await readFile(real);
      } catch {
        return null;
      }
    }
    return null;
  }
}
