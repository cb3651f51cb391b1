import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
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

  it('takes one POST of at most the allowed bytes to an upload it opened, and hands them over once', async () => {
    const post = (url: string, body: Uint8Array) => fetch(url, { method: 'POST', body: new Blob([body as BlobPart]) }).then((r) => r.status, () => 'dropped');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    const upload = server.openUpload(1000);
    expect(upload.url.startsWith(`${base}/uploads/`)).toBe(true);
    expect(await post(upload.url, bytes)).toBe(204);
    // A second POST to the same upload is refused and changes nothing.
    expect(await post(upload.url, new Uint8Array(10))).toBe(404);
    expect([...server.take(upload.id)!]).toEqual([...bytes]);
    expect(server.take(upload.id)).toBeNull();
    // Once taken it is closed.
    expect(await post(upload.url, bytes)).toBe(404);

    const small = server.openUpload(999);
    expect(await post(small.url, bytes)).not.toBe(204);
    expect(server.take(small.id)).toBeNull();
    // Never opened, or without the token: refused.
    expect(await post(`${base}/uploads/999999`, bytes)).toBe(404);
    const other = server.openUpload(1000);
    expect(await post(`${origin()}/uploads/${other.id}`, bytes)).toBe(404);
    expect(server.take(other.id)).toBeNull();
  });
});
