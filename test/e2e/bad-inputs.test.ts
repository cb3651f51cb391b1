import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli';

/** A config in a fresh folder with `files` beside it; returns the config's path. */
function configWith(config: object, files: Record<string, string> = {}): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const file = join(dir, 'scene.json');
  writeFileSync(file, JSON.stringify({ models: ['dentfarm-sedan'], ...config }));
  return file;
}

/** One line on stderr starting "dentfarm:", exit 2, and no browser started (no worker line). */
function expectOneLineBeforeAnyBrowser(run: { code: number | null; stderr: string }, ...parts: string[]) {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  for (const part of parts) expect(lines[0]).toContain(part);
  expect(lines[0]).toContain('fix:');
}

describe('inputs that look right but are not', () => {
  it.each([
    ['an .hdr that is not Radiance', { lighting: [{ environment: 'sky.hdr' }] }, { 'sky.hdr': 'P6 not a radiance file' }, '/lighting/0/environment', 'does not start with "#?"'],
    ['an .env that is not Babylon', { lighting: [{ environment: 'sky.env' }] }, { 'sky.env': 'hello' }, '/lighting/0/environment', 'not the .env signature'],
    ['a backplate that is not an image', { backgrounds: [{ type: 'image', file: 'street.png' }] }, { 'street.png': 'just text' }, '/backgrounds/0/file', 'street.png'],
    ['a built-in sky that does not exist', { lighting: [{ environment: 'sky:sunny' }] }, {}, '/lighting/0/environment', 'sky:clear, sky:overcast, sky:night, studio'],
  ])('%s: one config line before any browser starts, nothing written', async (_what, config, files, place, detail) => {
    const file = configWith(config, files);
    const out = join(tempDir(), 'out');
    const run = await runCli(['render', file, '--out', out]);
    expectOneLineBeforeAnyBrowser(run, file, place, detail);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --out naming a file, at once', async () => {
    const file = configWith({});
    const out = join(tempDir(), 'a-file.txt');
    writeFileSync(out, 'keep me');
    const run = await runCli(['render', file, '--out', out]);
    expectOneLineBeforeAnyBrowser(run, `--out ${out}: that is a file, not a folder`);
  });

  it('refuses a folder another live run holds, before starting browsers', async () => {
    const out = tempDir();
    // This test's own process is alive on this host: the lock is fresh.
    writeFileSync(join(out, '.dentfarm.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
    const run = await runCli(['render', configWith({}), '--out', out]);
    expectOneLineBeforeAnyBrowser(run, `${out} is in use by another run (pid ${process.pid}`);
    expect(readdirSync(out)).toEqual(['.dentfarm.lock']);
  });

  it('refuses to merge into one of the shards being merged', async () => {
    const a = tempDir();
    const b = tempDir();
    for (const d of [a, b]) writeFileSync(join(d, 'annotations.json'), JSON.stringify({ info: {}, licenses: [], images: [], annotations: [], categories: [] }));
    const run = await runCli(['merge', a, a, b]);
    expectOneLineBeforeAnyBrowser(run, `the output ${a} is also one of the shards`);
  });

  it('refuses a preview sheet named like a folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'annotations.json'), JSON.stringify({ info: {}, licenses: [], images: [{ id: 1, file_name: 'x.png', width: 4, height: 4 }], annotations: [], categories: [] }));
    mkdirSync(join(dir, 'sheets'));
    const run = await runCli(['preview', dir, '--out', join(dir, 'sheets')]);
    expectOneLineBeforeAnyBrowser(run, 'that is a folder');
  });
});
