import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModelFile } from '../../src/car/check-model-file';

const dir = mkdtempSync(join(tmpdir(), 'dentfarm-models-'));

function glb(bytes: number[]): string {
  const path = join(dir, `m${Math.random().toString(36).slice(2)}.glb`);
  writeFileSync(path, Buffer.from(bytes));
  return path;
}

// GLB header: magic "glTF" = 67 6C 54 46, version 2, total length; then the
// first chunk header: length, type "JSON" = 4A 53 4F 4E.
const le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

describe('model file check', () => {
  it('accepts a well-formed GLB header', () => {
    expect(checkModelFile(glb([0x67, 0x6c, 0x54, 0x46, ...le(2), ...le(24), ...le(4), 0x4a, 0x53, 0x4f, 0x4e, 0x7b, 0x7d, 0x20, 0x20]))).toBeNull();
  });

  it('names each way a file can be broken', () => {
    expect(checkModelFile(join(dir, 'absent.glb'))).toBe('the file does not exist');
    expect(checkModelFile(glb([]))).toBe('the file is empty');
    expect(checkModelFile(glb([1, 2, 3]))).toMatch(/fewer than a GLB header/);
    expect(checkModelFile(glb([...le(7), ...le(2), ...le(24), ...le(4), ...le(0x4e4f534a)]))).toMatch(/not a GLB/);
    expect(checkModelFile(glb([0x67, 0x6c, 0x54, 0x46, ...le(2), ...le(5000), ...le(4), 0x4a, 0x53, 0x4f, 0x4e]))).toMatch(/truncated: the header declares 5000 bytes, the file has 20/);
    expect(checkModelFile(glb([0x67, 0x6c, 0x54, 0x46, ...le(1), ...le(20), ...le(4), 0x4a, 0x53, 0x4f, 0x4e]))).toMatch(/version 1/);
  });

  it('checks that a .gltf parses and its buffers exist', () => {
    const path = join(dir, 'scene.gltf');
    writeFileSync(path, JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'missing.bin', byteLength: 4 }] }));
    expect(checkModelFile(path)).toMatch(/missing\.bin/);
    writeFileSync(path, '{ not json');
    expect(checkModelFile(path)).toMatch(/not valid glTF JSON/);
  });
});
