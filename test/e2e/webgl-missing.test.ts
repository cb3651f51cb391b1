import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../../src/farm/find-chromium';
import { runCli, tempDir, writeConfig } from './run-cli';

/** A real Chromium, started with WebGL2 switched off, as a broken install would be. */
function chromiumWithoutWebgl2(): string {
  const wrapper = join(tempDir(), 'chromium-no-webgl2');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${findChromium(undefined, process.env, () => {})}' "$@" --disable-webgl2\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

describe('a browser without WebGL2', () => {
  const config = {
    name: 'no-webgl2',
    models: ['dentfarm-sedan'],
    paints: ['red', 'white', 'blue'],
    lighting: [{ environment: 'studio' }],
    samples: 4,
    image: { width: 96, height: 72, supersample: 1 },
  };

  it('stops render at the start with one line that names the browser and the fix, not a failure per job', async () => {
    const chromium = chromiumWithoutWebgl2();
    const out = join(tempDir(), 'out');
    const run = await runCli(['render', writeConfig(config), '--out', out, '--chromium', chromium, '--workers', '2']);
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('dentfarm:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`renderer failed to start in ${chromium}: WebGL2 is not available`);
    expect(errors[0]).toMatch(/fix: .*--use-angle=swiftshader --enable-unsafe-swiftshader.*--disable-webgl2.*dentfarm doctor/);
    expect(run.stderr).not.toMatch(/job \S+ failed/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('fails doctor the same way, naming the GPU libraries when the GPU was asked for', async () => {
    const run = await runCli(['doctor', '--chromium', chromiumWithoutWebgl2(), '--gl', 'egl']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/WebGL2 is not available.*fix: the GPU gave no WebGL2 through ANGLE on EGL: install .*libegl1.*--gl swiftshader/);
  }, 120_000);
});
