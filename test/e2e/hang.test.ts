import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, tempDir, waitForJobRecords, writeConfig } from './run-cli';

/** Pids of the Chromium renderer processes under `root` (the page that runs the renderer). */
function rendererPids(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, ppid, ...args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args.join(' ') }));
  const under = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) if (under.has(r.ppid) && !under.has(r.pid)) under.add(r.pid), (grew = true);
  }
  return rows.filter((r) => under.has(r.pid) && r.args.includes('--type=renderer')).map((r) => r.pid);
}

function running(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  return state !== 'Z' && state !== 'X';
}

describe('a job that hangs', () => {
  it('is timed out, its browser replaced, and the job retried: every image written once', async () => {
    const config = writeConfig({
      name: 'hanging',
      models: ['dentfarm-sedan'],
      paints: ['red', 'white'],
      damage: { dent: { count: 1 } },
      lighting: [{ environment: 'studio' }],
      samples: 2,
      image: { width: 96, height: 72, supersample: 1 },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = startCli(['render', config, '--out', out, '--workers', '1', '--job-timeout', '45']);
    await waitForJobRecords(out, 1);
    // A frozen renderer process never answers: the job in flight hangs, as on a wedged GPU.
    // (The timeout leaves room for a loaded CI machine: alone a job here takes a second.)
    const frozen = rendererPids(run.child.pid!);
    expect(frozen.length).toBeGreaterThan(0);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');

    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/attempt 1\/2 failed: job \S+ took longer than 45000 ms/);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images).toHaveLength(4);
    expect(new Set(coco.images.map((i: any) => i.file_name)).size).toBe(4);
    expect(readdirSync(join(out, 'images'))).toHaveLength(4);
    // The frozen processes went with their browser (at most a zombie is left for init to reap).
    for (const pid of frozen) expect(running(pid), `renderer ${pid}`).toBe(false);
  }, 300_000);
});
