import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeConfig } from './run-cli';

/** A small tmpfs of its own is a real disk that fills up; mounting it needs root. */
function mountSmallDisk(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const disk = join(tempDir(), 'disk');
mkdirSync(disk);
// TODO: without the right to mount (not root) this test skips; a FUSE or loop device would need the same right.
const mounted = mountSmallDisk(disk, '250k');

afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
});

const config = {
  name: 'disk',
  seed: 3,
  models: ['dentfarm-sedan'],
  paints: ['red', 'white'],
  damage: { dent: { count: 1 } },
  lighting: [{ environment: 'studio' }],
  views: [{ name: 'v', azimuthDeg: [0, 360] }],
  samples: 4,
  // Sensor noise makes every PNG about 48 kB, so 250 kB fill up during the
  // fifth image with room left for annotations.json of the four finished.
  image: { width: 160, height: 120, supersample: 1, noise: 20 },
  annotations: { minVisibleChange: 0 },
};

describe.skipIf(!mounted)('an output disk that fills up', () => {
  it('stops with one clear line, keeps what finished valid, leaves no partial file, and resumes once there is room', async () => {
    const file = writeConfig(config);
    const out = join(disk, 'out');
    const run = await runCli(['render', file, '--out', out, '--workers', '1']);
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('dentfarm:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot write there: no space left on the device \(ENOSPC\); \d of 8 jobs are finished and kept/);
    expect(errors[0]).toMatch(/fix: free space there or choose another --out, then run the same command again to resume/);

    // Nothing half-written: no temporary files, no lock; every image listed is whole.
    const all = [...readdirSync(out), ...readdirSync(join(out, 'images')), ...readdirSync(join(out, 'jobs'))];
    expect(all.filter((f) => f.endsWith('.tmp') || f === '.dentfarm.lock')).toEqual([]);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    const finished = coco.images.length;
    expect(finished).toBeGreaterThan(0);
    expect(finished).toBeLessThan(8);
    const validate = await runCli(['validate', out]);
    expect(validate.code, validate.stdout).toBe(0);

    // Room again: the same command renders only what is missing.
    execFileSync('mount', ['-o', 'remount,size=8m', disk]);
    const resumed = await runCli(['render', file, '--out', out, '--workers', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${finished} of 8 jobs are already done`);
    expect(JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8')).images).toHaveLength(8);
    expect((await runCli(['validate', out])).code).toBe(0);
  }, 300_000);
});

describe('an output folder that cannot be created', () => {
  it('fails at once with one line naming the folder and the fix, and writes nothing', async () => {
    const parent = join(tempDir(), 'a-file');
    execFileSync('sh', ['-c', `echo not a folder > '${parent}'`]);
    const run = await runCli(['render', writeConfig(config), '--out', join(parent, 'out'), '--workers', '1']);
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('dentfarm:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`cannot create ${join(parent, 'out')}`);
    expect(errors[0]).toContain('fix: choose a writable --out folder');
    expect(readFileSync(parent, 'utf8')).toBe('not a folder\n');
  }, 120_000);
});
