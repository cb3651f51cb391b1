import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHARED, runCli, tempDir } from './run-cli';

// Only the config's folder and the project: no extra roots.
const NO_ROOTS = { DENTFARM_ASSET_ROOTS: '' };

describe('files a config may read', () => {
  it('refuses a link out of the config folder, and takes it once its folder is allowed with --asset-root', async () => {
    const elsewhere = tempDir();
    writeFileSync(join(elsewhere, 'street.jpg'), 'not read by plan');
    const dir = tempDir();
    symlinkSync(join(elsewhere, 'street.jpg'), join(dir, 'street.jpg'));
    const config = join(dir, 'scene.json');
    writeFileSync(config, JSON.stringify({ models: ['dentfarm-sedan'], backgrounds: [{ type: 'image', file: 'street.jpg' }] }));

    const refused = await runCli(['plan', config], 60_000, NO_ROOTS);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `dentfarm: ${config}: /backgrounds/0/file: expected a file under the config's folder, the dentfarm project or an allowed asset root, found "${join(dir, 'street.jpg')}" (a link to ${join(elsewhere, 'street.jpg')}); fix: move it under ${dir}, or allow its folder with --asset-root ${elsewhere} (or DENTFARM_ASSET_ROOTS)`,
    );
    const allowed = await runCli(['plan', config, '--asset-root', elsewhere], 60_000, NO_ROOTS);
    expect(allowed.code, allowed.stderr).toBe(0);
    const fromEnv = await runCli(['plan', config], 60_000, { DENTFARM_ASSET_ROOTS: elsewhere });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
  });

  it('refuses a model folder outside the roots', async () => {
    const models = join(tempDir(), 'cars');
    mkdirSync(models);
    copyFileSync(join(ROOT, 'car-models/dentfarm-sedan.json'), join(models, 'dentfarm-sedan.json'));
    const dir = tempDir();
    const config = join(dir, 'scene.json');
    writeFileSync(config, JSON.stringify({ modelDirs: [models], models: ['dentfarm-sedan'] }));
    const run = await runCli(['plan', config], 60_000, NO_ROOTS);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${config}: /modelDirs/0: expected a file under the config's folder`);
  });

  it.skipIf(!existsSync(SHARED))('reads the shared test cars only where they are allowed', async () => {
    const config = join(ROOT, 'configs/shared-cars.json');
    const refused = await runCli(['plan', config], 60_000, NO_ROOTS);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/car-models\/shared\/.*\.json: \/file: expected a file under .*; fix: .*--asset-root /);
    const allowed = await runCli(['plan', config, '--asset-root', SHARED], 60_000, NO_ROOTS);
    expect(allowed.code, allowed.stderr).toBe(0);
  });
});
