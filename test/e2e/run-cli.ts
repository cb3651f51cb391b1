/** Runs the real dentfarm CLI in a child process, as a user would. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const SHARED = resolve(ROOT, '../shared/assets');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], timeoutMs = 600_000, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dentfarm.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Writes `config` as JSON in a fresh temporary folder and returns its path. */
export function writeConfig(config: unknown, name = 'scene.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dentfarm-e2e-'));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dentfarm-out-'));
}
