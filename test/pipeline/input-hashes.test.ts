import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputHashes } from '../../src/pipeline/job-record';

/** A .gltf whose one buffer and one image live beside it. */
const gltf = (bin: string, png: string) =>
  JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: bin, byteLength: 4 }], images: [{ uri: png }, { uri: 'data:image/png;base64,AAAA' }] });

/** A model's hash as a fresh run computes it (each run caches its hashes). */
const hashOf = (path: string) => new InputHashes().model(path);

describe("a model's input hash", () => {
  it('changes with the model file and every file it refers to, and with nothing else in its folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dentfarm-hash-'));
    const a = join(dir, 'a.gltf');
    const b = join(dir, 'b.gltf');
    writeFileSync(a, gltf('a.bin', 'tex%20a.png'));
    writeFileSync(join(dir, 'a.bin'), 'AAAA');
    writeFileSync(join(dir, 'tex a.png'), 'png-a');
    writeFileSync(b, gltf('b.bin', 'b.png'));
    writeFileSync(join(dir, 'b.bin'), 'BBBB');
    writeFileSync(join(dir, 'b.png'), 'png-b');
    writeFileSync(join(dir, 'notes.txt'), 'first');
    const before = { a: hashOf(a), b: hashOf(b) };
    expect(before.a).not.toBe(before.b);

    // Neither model names notes.txt.
    writeFileSync(join(dir, 'notes.txt'), 'second');
    expect({ a: hashOf(a), b: hashOf(b) }).toEqual(before);

    // b's buffer is b's alone.
    writeFileSync(join(dir, 'b.bin'), 'BBBC');
    const afterBin = { a: hashOf(a), b: hashOf(b) };
    expect(afterBin.a).toBe(before.a);
    expect(afterBin.b).not.toBe(before.b);

    // a's texture, named with an escaped space.
    writeFileSync(join(dir, 'tex a.png'), 'png-a2');
    expect(hashOf(a)).not.toBe(before.a);
    expect(hashOf(b)).toBe(afterBin.b);
  });

  it('reads the JSON chunk of a .glb for the files it refers to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dentfarm-hash-'));
    const json = Buffer.from(JSON.stringify({ asset: { version: '2.0' }, images: [{ uri: 'paint.png' }] }).padEnd(60, ' '));
    const le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
    const glb = join(dir, 'car.glb');
    writeFileSync(glb, Buffer.concat([Buffer.from([0x67, 0x6c, 0x54, 0x46, ...le(2), ...le(20 + json.length), ...le(json.length), 0x4a, 0x53, 0x4f, 0x4e]), json]));
    writeFileSync(join(dir, 'paint.png'), 'one');
    const before = hashOf(glb);
    writeFileSync(join(dir, 'paint.png'), 'two');
    expect(hashOf(glb)).not.toBe(before);
  });
});
