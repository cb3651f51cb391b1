import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, tempDir, waitForJobRecords, writeConfig } from './run-cli';

describe('stopping a run', () => {
  it('on SIGINT finishes the jobs in flight, writes what is done, says how to resume and exits 130', async () => {
    const config = writeConfig({
      name: 'interrupted',
      models: ['dentfarm-sedan', 'dentfarm-suv'],
      paints: ['red', 'white'],
      damage: { dent: { count: 1 } },
      lighting: [{ environment: 'studio' }],
      samples: 3,
      image: { width: 96, height: 72, supersample: 1 },
    });
    const out = tempDir();
    const run = startCli(['render', config, '--out', out, '--workers', '1']);
    await waitForJobRecords(out, 1);
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);
    const stderr = run.stderr();
    const jobs = join(out, 'jobs');
    expect(stderr).toContain('SIGINT: finishing the jobs in flight');
    expect(stderr).toMatch(/stopped by SIGINT after \d+ of 12 jobs; run the same command again to resume/);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    const records = readdirSync(jobs).filter((f) => f.endsWith('.json'));
    // Every finished job is listed, none is half-written, the lock is gone.
    expect(coco.images.length).toBe(records.length);
    expect(coco.images.length).toBeLessThan(12);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).stopped).toBe('SIGINT');
    const leftovers = [...readdirSync(out), ...readdirSync(join(out, 'images')), ...readdirSync(jobs)].filter((f) => f.endsWith('.tmp') || f === '.dentfarm.lock');
    expect(leftovers).toEqual([]);
  }, 300_000);
});
