import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, tempDir, waitForJobRecords, writeConfig } from './run-cli';

/** Pids of the browsers a run started: Chromium processes whose parent is the run's process. */
function browserPids(parent: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, ppid, cmd]) => Number(ppid) === parent && /chrom/.test(cmd ?? ''))
    .map(([pid]) => Number(pid));
}

describe('a browser that dies mid-run', () => {
  it('costs only its job, which is retried on a fresh browser: every image is written', async () => {
    const config = writeConfig({
      name: 'crashing',
      models: ['dentfarm-sedan'],
      paints: ['red', 'white', 'blue'],
      damage: { dent: { count: 1 } },
      lighting: [{ environment: 'studio' }],
      samples: 2,
      image: { width: 96, height: 72, supersample: 1 },
    });
    const out = tempDir();
    const run = startCli(['render', config, '--out', out, '--workers', '1']);
    await waitForJobRecords(out, 2);
    const victims = browserPids(run.child.pid!);
    expect(victims.length).toBeGreaterThan(0);
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/attempt 1\/2 failed/);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images).toHaveLength(6);
    expect(readdirSync(join(out, 'images'))).toHaveLength(6);
  }, 300_000);
});
