/**
 * The only origin a renderer page talks to: an HTTP server on 127.0.0.1
 * that serves the renderer, the run's models, environments and
 * backgrounds, from an explicit table of routes. Every URL starts with a
 * token drawn per run, so no other process on the machine can read through
 * it; nothing outside the mounted files can be reached, not through `..`
 * and not through a link inside a mounted folder.
 *
 * It also takes each job's pixels back from its page: one binary message
 * on a WebSocket (see upload-socket) for an upload the farm opened for that
 * job, up to the size it allowed. That moves them several times faster than
 * base64 text over the DevTools protocol, or a POST, whose body the page's
 * request interception copies through that protocol.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { UploadSocket } from './upload-socket';

/** Where and under which id a page sends one job's pixels. */
export interface Upload {
  id: number;
  /** ws:// URL of the upload socket. */
  socket: string;
}

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
  private readonly uploads = new Map<number, { limit: number; body: Buffer | null }>();
  private uploadCount = 0;
  private readonly sockets = new Set<Duplex>();

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
   * Opens an upload of at most `limit` bytes: the page sends one binary
   * message on the WebSocket at `socket`, the upload's `id` as 4 bytes
   * little-endian and then the bytes, and gets the text `<id> ok` back (or
   * `<id> refused: why`); `take(id)` hands the bytes over and closes it.
   */
  openUpload(limit: number): Upload {
    const id = ++this.uploadCount;
    this.uploads.set(id, { limit, body: null });
    return { id, socket: this.url('/uploads').replace(/^http:/, 'ws:') };
  }

  /** The bytes upload `id` received (null if none came); closes it either way. */
  take(id: number): Buffer | null {
    const upload = this.uploads.get(id);
    this.uploads.delete(id);
    return upload?.body ?? null;
  }

  /** One upload message: its id, then the bytes. */
  private receive(message: Buffer): string {
    if (message.length < 4) return '0 refused: no upload id';
    const id = message.readUInt32LE(0);
    const upload = this.uploads.get(id);
    if (!upload || upload.body) return `${id} refused: not open`;
    if (message.length - 4 > upload.limit) return `${id} refused: ${message.length - 4} bytes, more than the ${upload.limit} allowed`;
    upload.body = message.subarray(4);
    return `${id} ok`;
  }

  /** The largest message any open upload allows. */
  private largestUpload(): number {
    let most = 0;
    for (const upload of this.uploads.values()) most = Math.max(most, upload.limit + 4);
    return most;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
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
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      // The HTTP server no longer tracks an upgraded socket, yet counts it
      // until it closes: `stop` must end every one itself.
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      if ((req.url ?? '').split('?')[0] !== `/${this.token}/uploads`) {
        refuse(socket, '404 Not Found');
        return;
      }
      if (!UploadSocket.accept(req, socket, () => this.largestUpload(), (message, reply) => reply(this.receive(message)))) {
        refuse(socket, '400 Bad Request');
      }
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
      for (const socket of this.sockets) socket.destroy();
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

/**
 * Answers `status` on a socket that asked for an upgrade and closes it
 * without reading what else it sends; a peer that sends on regardless
 * cannot keep it open.
 */
function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  const timer = setTimeout(() => socket.destroy(), 1_000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
