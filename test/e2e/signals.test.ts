import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, tempDir, waitForJobRecords, writeConfig } from './run-cli';

/** Every process under `root`, from the process table. */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const under = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) if (under.has(ppid) && !under.has(pid)) (under.add(pid), (grew = true));
  }
  under.delete(root);
  return [...under];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes of `pids` still running a few seconds after their command exited. */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

const config = () =>
  writeConfig({
    name: 'interrupted',
    models: ['dentfarm-sedan', 'dentfarm-suv'],
    paints: ['red', 'white'],
    damage: { dent: { count: 1 } },
    lighting: [{ environment: 'studio' }],
    samples: 3,
    image: { width: 96, height: 72, supersample: 1 },
  });

describe('stopping a run', () => {
  it('on SIGINT finishes the jobs in flight, writes what is done, says how to resume and exits 130', async () => {
    const out = tempDir();
    const run = startCli(['render', config(), '--out', out, '--workers', '1']);
    await waitForJobRecords(out, 1);
    const browsers = descendants(run.child.pid!);
    expect(browsers.length).toBeGreaterThan(0);
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);
    expect(await survivors(browsers)).toEqual([]);
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

  it('on a second SIGTERM stops at once, exiting 143, and leaves no browser process behind', async () => {
    const out = tempDir();
    const run = startCli(['render', config(), '--out', out, '--workers', '2']);
    await waitForJobRecords(out, 1);
    const browsers = descendants(run.child.pid!);
    run.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    run.child.kill('SIGTERM');
    expect(await run.exited, run.stderr()).toBe(143);
    expect(run.stderr()).toContain('SIGTERM again: stopping now; run the same command again to resume');
    expect(await survivors(browsers)).toEqual([]);
    // Whatever finished has its record; no temporary file or lock is left.
    const records = readdirSync(join(out, 'jobs')).filter((f) => f.endsWith('.json'));
    expect(records.length).toBeGreaterThan(0);
    const leftovers = [...readdirSync(out), ...readdirSync(join(out, 'images')), ...readdirSync(join(out, 'jobs'))].filter((f) => f.endsWith('.tmp') || f === '.dentfarm.lock');
    expect(leftovers).toEqual([]);
  }, 300_000);
});
