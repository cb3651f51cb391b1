import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetServer } from '../../src/farm/asset-server';

describe('the asset server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dentfarm-assets-'));
  const outside = mkdtempSync(join(tmpdir(), 'dentfarm-secret-'));
  const server = new AssetServer();
  let base = '';

  beforeAll(async () => {
    mkdirSync(join(dir, 'textures'));
    writeFileSync(join(dir, 'car.gltf'), '{"asset":{"version":"2.0"}}');
    writeFileSync(join(dir, 'textures', 'paint.png'), 'png bytes');
    writeFileSync(join(outside, 'secret.txt'), 'not for pages');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'textures', 'link.png'));
    server.addFolder('/models/car', dir);
    server.addFile('/renderer.js', new TextEncoder().encode('// page'));
    base = await server.start();
  });
  afterAll(() => server.stop());

  const status = async (url: string) => (await fetch(url)).status;
  const origin = () => new URL(base).origin;

  it('listens on 127.0.0.1 under a random token of 32 hex digits', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/);
    expect(new AssetServer().url('/x')).not.toBe(server.url('/x').replace(origin(), ''));
  });

  it('serves mounted files under the token, and nothing without it', async () => {
    expect(await (await fetch(`${base}/models/car/textures/paint.png`)).text()).toBe('png bytes');
    expect(await status(`${base}/renderer.js`)).toBe(200);
    expect(await status(`${origin()}/renderer.js`)).toBe(404);
    expect(await status(`${origin()}/models/car/car.gltf`)).toBe(404);
    expect(await status(`${origin()}/${'0'.repeat(32)}/renderer.js`)).toBe(404);
  });

  it('serves nothing outside a mounted folder: not through .. (plain or encoded), not through a link', async () => {
    for (const path of ['/models/car/../../../etc/hostname', '/models/car/%2e%2e/%2e%2e/etc/hostname', '/models/car/textures/..%2f..%2f..%2fsecret.txt', '/models/car/%E0%A4%A']) {
      expect(await status(`${base}${path}`), path).toBe(404);
    }
    expect(await status(`${base}/models/car/textures/link.png`)).toBe(404);
  });

  it('takes each upload once, as a WebSocket message of its id and at most the allowed bytes, fragmented or not', async () => {
    const client = await WsClient.connect(server.openUpload(1).socket);
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    const upload = server.openUpload(70_000);
    // 70 004 bytes need the 64-bit length; split in two frames they use the 16-bit one.
    client.send(message(upload.id, bytes));
    expect(await client.reply()).toBe(`${upload.id} ok`);
    client.send(message(upload.id, bytes.subarray(0, 10)));
    expect(await client.reply()).toBe(`${upload.id} refused: not open`);
    expect(Buffer.from(server.take(upload.id)!).equals(bytes)).toBe(true);
    expect(server.take(upload.id)).toBeNull();

    const split = server.openUpload(70_000);
    const whole = message(split.id, bytes);
    client.send(whole.subarray(0, 30_000), { fin: false });
    client.send(whole.subarray(30_000), { continuation: true });
    expect(await client.reply()).toBe(`${split.id} ok`);
    expect(Buffer.from(server.take(split.id)!).equals(bytes)).toBe(true);

    // With a larger upload open the message fits the socket, but not this upload.
    const spare = server.openUpload(70_000);
    const small = server.openUpload(999);
    client.send(message(small.id, bytes.subarray(0, 1000)));
    expect(await client.reply()).toBe(`${small.id} refused: 1000 bytes, more than the 999 allowed`);
    expect(server.take(small.id)).toBeNull();
    client.send(message(987_654, bytes.subarray(0, 10)));
    expect(await client.reply()).toBe('987654 refused: not open');

    // A message larger than any open upload allows closes the socket (1009).
    server.take(spare.id);
    client.send(message(1, new Uint8Array(200_000)));
    expect(await client.closed()).toBe(1009);
  });

  it('answers the handshake as RFC 6455 gives it, refuses other paths, and closes on an unmasked frame', async () => {
    const url = new URL(server.openUpload(1).socket);
    // The RFC's own example key and answer (section 1.3).
    const answer = await rawHandshake(url.port, url.pathname, 'dGhlIHNhbXBsZSBub25jZQ==');
    expect(answer.head).toMatch(/^HTTP\/1\.1 101 /);
    expect(answer.head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect((await rawHandshake(url.port, url.pathname.replace('/uploads', '/elsewhere'), 'dGhlIHNhbXBsZSBub25jZQ==')).head).toMatch(/^HTTP\/1\.1 404 /);
    expect((await rawHandshake(url.port, `/${'0'.repeat(32)}/uploads`, 'dGhlIHNhbXBsZSBub25jZQ==')).head).toMatch(/^HTTP\/1\.1 404 /);
    const client = await WsClient.connect(url.href);
    client.send(message(1, new Uint8Array(4)), { masked: false });
    expect(await client.closed()).toBe(1002);
    // A ping (a control frame) may carry at most 125 bytes.
    const pinger = await WsClient.connect(url.href);
    pinger.send(new Uint8Array(126), { opcode: 0x9 });
    expect(await pinger.closed()).toBe(1002);
  });

  it('stops promptly while peers hold refused upgrades open and keep sending', async () => {
    const other = new AssetServer();
    const base = await other.start();
    const { port, pathname } = new URL(base);
    const peers: Socket[] = [];
    for (const path of [`${pathname}/elsewhere`, '/uploads']) {
      const { head, socket } = await rawHandshake(port, path, 'dGhlIHNhbXBsZSBub25jZQ==');
      expect(head).toMatch(/^HTTP\/1\.1 404 /);
      socket.on('error', () => {});
      // Far more than the socket buffers hold, then the peer keeps its end open.
      socket.write(Buffer.alloc(4 << 20, 7));
      peers.push(socket);
    }
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const peer of peers) peer.destroy();
  });
});

/** An upload message: the id as 4 bytes little-endian, then the bytes. */
function message(id: number, bytes: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(id);
  return Buffer.concat([head, bytes]);
}

async function rawHandshake(port: string, path: string, key: string): Promise<{ head: string; socket: Socket }> {
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((ready) => socket.once('connect', ready));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let text = '';
  while (!text.includes('\r\n\r\n')) text += String(await new Promise<Buffer>((data) => socket.once('data', data)));
  return { head: text.slice(0, text.indexOf('\r\n\r\n')), socket };
}

/** A WebSocket client written from RFC 6455, for the test: masked frames out, text frames and close in. */
class WsClient {
  private received = Buffer.alloc(0);
  private readonly listeners: (() => void)[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const listener of this.listeners.splice(0)) listener();
    });
  }

  static async connect(url: string): Promise<WsClient> {
    const { port, pathname } = new URL(url);
    const { head, socket } = await rawHandshake(port, pathname, randomBytes(16).toString('base64'));
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    return new WsClient(socket);
  }

  send(payload: Uint8Array, { fin = true, continuation = false, masked = true, opcode = 0x2 } = {}): void {
    const length = payload.length;
    const head = [(fin ? 0x80 : 0) | (continuation ? 0x0 : opcode)];
    const maskBit = masked ? 0x80 : 0;
    if (length < 126) head.push(maskBit | length);
    else if (length < 65_536) head.push(maskBit | 126, length >> 8, length & 255);
    else head.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 255, (length >> 16) & 255, (length >> 8) & 255, length & 255);
    const mask = masked ? randomBytes(4) : Buffer.alloc(0);
    const body = Buffer.from(payload);
    if (masked) for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
    this.socket.write(Buffer.concat([Buffer.from(head), mask, body]));
  }

  /** The next frame from the server: [opcode, payload]. */
  private async frame(): Promise<[number, Buffer]> {
    for (;;) {
      const r = this.received;
      if (r.length >= 2) {
        let length = r[1] & 0x7f;
        let at = 2;
        if (length === 126 && r.length >= 4) [length, at] = [r.readUInt16BE(2), 4];
        if (r.length >= at + length && length < 126) {
          this.received = r.subarray(at + length);
          return [r[0] & 0x0f, r.subarray(at, at + length)];
        }
      }
      await new Promise<void>((more) => this.listeners.push(more));
    }
  }

  async reply(): Promise<string> {
    const [op, payload] = await this.frame();
    expect(op).toBe(0x1);
    return String(payload);
  }

  /** The status of the server's close frame. */
  async closed(): Promise<number> {
    const [op, payload] = await this.frame();
    expect(op).toBe(0x8);
    return payload.readUInt16BE(0);
  }
}
