import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir, waitForJobRecords, writeConfig } from './run-cli';

const base = {
  name: 'resumable',
  seed: 77,
  paints: ['red', 'white'],
  damage: { dent: { count: 1 }, scratch: { count: 1 } },
  lighting: [{ environment: 'studio' }],
  views: [{ name: 'around', elevationDeg: [5, 15] }],
  samples: 2,
  image: { width: 96, height: 72, supersample: 1 },
};

/** Starts a render in its own process group, waits until `records` jobs are finished, then kills the group. */
async function killPartway(config: string, out: string, records: number): Promise<void> {
  const run = startCli(['render', config, '--out', out, '--workers', '1'], { detached: true });
  await waitForJobRecords(out, records);
  process.kill(-run.child.pid!, 'SIGKILL');
  await run.exited;
}

describe('resume', () => {
  it('continues a killed run without rendering a finished job again, ending identical to an uninterrupted run', async () => {
    const config = writeConfig({ ...base, models: ['dentfarm-sedan', 'dentfarm-suv'] });
    const whole = tempDir();
    const resumed = tempDir();
    const [uninterrupted] = await Promise.all([runCli(['render', config, '--out', whole, '--workers', '1']), killPartway(config, resumed, 3)]);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    expect(existsSync(join(resumed, 'annotations.json'))).toBe(false);
    const done = readdirSync(join(resumed, 'jobs')).filter((f) => f.endsWith('.json'));
    const before = new Map(done.map((f) => [f, statSync(join(resumed, 'jobs', f)).mtimeMs]));

    const again = await runCli(['render', config, '--out', resumed, '--workers', '1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${done.length} of 8 jobs are already done`);
    // The finished jobs were not rendered again...
    for (const [f, mtime] of before) expect(statSync(join(resumed, 'jobs', f)).mtimeMs, f).toBe(mtime);
    // ...and the result is the uninterrupted run's.
    expect(readFileSync(join(resumed, 'annotations.json'), 'utf8')).toBe(readFileSync(join(whole, 'annotations.json'), 'utf8'));
    for (const file of readdirSync(join(whole, 'images'))) {
      const [a, b] = await Promise.all([whole, resumed].map((d) => sharp(join(d, 'images', file)).raw().toBuffer()));
      expect(a.equals(b), file).toBe(true);
    }
  }, 600_000);

  it('renders only the jobs of a model added to the config, leaving the others untouched', async () => {
    const out = tempDir();
    const first = await runCli(['render', writeConfig({ ...base, models: ['dentfarm-sedan'] }), '--out', out, '--workers', '1']);
    expect(first.code, first.stderr).toBe(0);
    const images = readdirSync(join(out, 'images'));
    const mtimes = new Map(images.map((f) => [f, statSync(join(out, 'images', f)).mtimeMs]));
    const second = await runCli(['render', writeConfig({ ...base, models: ['dentfarm-hatchback', 'dentfarm-sedan'] }), '--out', out, '--workers', '1']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('4 of 8 jobs are already done');
    for (const [f, mtime] of mtimes) expect(statSync(join(out, 'images', f)).mtimeMs, f).toBe(mtime);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    // Ids follow the new grid: the hatchback comes first now.
    expect(coco.images.map((i: any) => [i.id, i.dentfarm.model.id])).toEqual([
      [1, 'dentfarm-hatchback'], [2, 'dentfarm-hatchback'], [3, 'dentfarm-hatchback'], [4, 'dentfarm-hatchback'],
      [5, 'dentfarm-sedan'], [6, 'dentfarm-sedan'], [7, 'dentfarm-sedan'], [8, 'dentfarm-sedan'],
    ]);

    // With --prune, dropping the sedan from the config removes its images and records.
    const third = await runCli(['render', writeConfig({ ...base, models: ['dentfarm-hatchback'] }), '--out', out, '--workers', '1', '--prune']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain('pruned 4 jobs');
    expect(third.stderr).toContain('4 of 4 jobs are already done');
    // Nothing was rendered by that run: its rate is 0, its dataset still holds 4.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect([summary.rendered, summary.imagesPerSecond]).toEqual([4, 0]);
    expect(readdirSync(join(out, 'images')).every((f) => f.startsWith('dentfarm-hatchback__'))).toBe(true);
    expect(readdirSync(join(out, 'jobs'))).toHaveLength(4);
  }, 600_000);
});
