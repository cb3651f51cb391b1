import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli';

describe('dentfarm doctor', () => {
  it('names the WebGL renderer and renders the calibration scene with the known values', async () => {
    const out = join(tempDir(), 'calibration.png');
    const run = await runCli(['doctor', '--out', out]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/WebGL: WebGL 2\.0/);
    expect(run.stdout).toMatch(/renderer: ANGLE .*SwiftShader/);
    expect(run.stdout).toContain('rendering on: the CPU (software)');
    expect(run.stdout).toContain('all checks passed');

    // Read back independently of the doctor's own checks.
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([64, 48]);
    const at = (x: number, y: number) => [...data.subarray(info.channels * (y * 64 + x), info.channels * (y * 64 + x) + 3)];
    // Linear 0.5: 1.055 * 0.5^(1/2.4) - 0.055 = 0.7354 of 255 = 187.5.
    for (const v of at(10, 30)) expect(Math.abs(v - 188)).toBeLessThanOrEqual(2);
    // Written top row first: the red patch is at the top right, black at the bottom right.
    expect(at(60, 2)).toEqual([255, 0, 0]);
    expect(at(60, 46)).toEqual([0, 0, 0]);
    // A white disc on a white patch leaves every pixel white, edges included.
    for (let y = 13; y < 23; y++) for (let x = 33; x < 63; x++) expect(Math.min(...at(x, y))).toBeGreaterThanOrEqual(254);
  }, 120_000);

  it('exits 2 with the fix when the browser is missing', async () => {
    const run = await runCli(['doctor', '--chromium', '/nonexistent/chromium']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nonexistent\/chromium is not an executable file; pass the path of a Chromium/);
  });
});
