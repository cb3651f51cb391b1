import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeConfig } from './run-cli';

const config = () =>
  writeConfig({ name: 'locked', models: ['dentfarm-sedan'], paints: ['red'], damage: { dent: { count: 0 } }, lighting: [{ environment: 'studio' }], image: { width: 48, height: 36, supersample: 1 } });

describe('one run per output folder', () => {
  it('refuses a second run while the first holds the folder', async () => {
    const out = tempDir();
    mkdirSync(out, { recursive: true });
    // This test process is alive on this host: its lock is fresh.
    writeFileSync(join(out, '.dentfarm.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
    const run = await runCli(['render', config(), '--out', out, '--workers', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is in use by another run \(pid \d+ on .*\); fix: wait for it, choose another --out/);
    expect(existsSync(join(out, 'annotations.json'))).toBe(false);
  }, 120_000);

  it('takes over the lock of a run that is gone, and leaves none behind', async () => {
    const out = tempDir();
    // No process has this pid: the lock is stale.
    writeFileSync(join(out, '.dentfarm.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: 'long ago' }));
    const run = await runCli(['render', config(), '--out', out, '--workers', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('taking over a stale lock');
    expect(existsSync(join(out, 'annotations.json'))).toBe(true);
    expect(existsSync(join(out, '.dentfarm.lock'))).toBe(false);
  }, 120_000);
});
