import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resolveShard } from '../../src/grid/shard';
import { runCli, tempDir, writeConfig } from './run-cli';

describe('shards', () => {
  it('take the index from --shard or from a cluster job engine, and refuse what cannot be a shard', () => {
    expect(resolveShard('2/5', undefined, {})).toEqual({ index: 2, count: 5 });
    expect(resolveShard(undefined, 4, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(resolveShard(undefined, 4, { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 0, count: 4 });
    expect(resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '3' })).toBeNull();
    expect(() => resolveShard('5/5', undefined, {})).toThrow(/indices run from 0 to 4/);
    expect(() => resolveShard('1of3', undefined, {})).toThrow(/expected I\/N/);
    expect(() => resolveShard(undefined, 3, {})).toThrow(/JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX/);
  });

  it('rendered in parallel and merged in any order give the single run, byte for byte', async () => {
    const config = writeConfig({
      name: 'sharded',
      seed: 31,
      models: ['dentfarm-sedan', 'dentfarm-suv'],
      paints: ['red', 'silver'],
      damage: { dent: { count: 1 }, scratch: { count: 1 } },
      lighting: [{ environment: 'studio' }],
      views: [{ name: 'around', elevationDeg: [5, 15] }],
      samples: 2,
      image: { width: 96, height: 72, supersample: 1 },
    });
    const single = tempDir();
    const shardDirs = [tempDir(), tempDir(), tempDir()];
    const [whole, ...parts] = await Promise.all([
      runCli(['render', config, '--out', single, '--workers', '1', '--split', 'train=0.5,val=0.5']),
      ...shardDirs.map((dir, i) =>
        i === 1
          ? runCli(['render', config, '--out', dir, '--workers', '1', '--shards', '3'], 600_000, { JOB_COMPLETION_INDEX: '1' })
          : runCli(['render', config, '--out', dir, '--workers', '1', '--shard', `${i}/3`]),
      ),
    ]);
    expect(whole.code, whole.stderr).toBe(0);
    for (const p of parts) expect(p.code, p.stderr).toBe(0);
    // Disjoint and complete: 8 jobs as 3 + 3 + 2.
    const counts = shardDirs.map((d) => JSON.parse(readFileSync(join(d, 'annotations.json'), 'utf8')).images.length);
    expect(counts).toEqual([3, 3, 2]);

    const mergedA = tempDir();
    const mergedB = tempDir();
    expect((await runCli(['merge', mergedA, ...shardDirs])).code).toBe(0);
    expect((await runCli(['merge', mergedB, shardDirs[2], shardDirs[0], shardDirs[1], '--split', 'train=0.5,val=0.5'])).code).toBe(0);
    const bytes = (dir: string) => readFileSync(join(dir, 'annotations.json'), 'utf8');
    expect(bytes(mergedA)).toBe(bytes(single));
    expect(bytes(mergedB)).toBe(bytes(single));
    // Splits by key come out the same from a single run and a merge, and share the images out.
    const split = (dir: string, name: string) => readFileSync(join(dir, `annotations_${name}.json`), 'utf8');
    expect(split(mergedB, 'train')).toBe(split(single, 'train'));
    expect(split(mergedB, 'val')).toBe(split(single, 'val'));
    const ids = ['train', 'val'].flatMap((n) => JSON.parse(split(single, n)).images.map((i: any) => i.id));
    expect(ids.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const file of readdirSync(join(single, 'images'))) {
      const [a, b] = await Promise.all([single, mergedB].map((d) => sharp(join(d, 'images', file)).raw().toBuffer()));
      expect(a.equals(b), file).toBe(true);
    }
  }, 600_000);

  it('refuses to merge shards of different configs', async () => {
    const out = (seed: number) => {
      const dir = tempDir();
      const config = writeConfig({ name: 'x', seed, models: ['dentfarm-sedan'], paints: ['red'], damage: { dent: { count: 0 } }, lighting: [{ environment: 'studio' }], image: { width: 48, height: 36, supersample: 1 } });
      return runCli(['render', config, '--out', dir, '--workers', '1']).then(() => dir);
    };
    const [a, b] = await Promise.all([out(1), out(2)]);
    const merged = await runCli(['merge', tempDir(), a, b]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/rendered from another config .*fix: merge only shards of one config/);
  }, 300_000);
});
