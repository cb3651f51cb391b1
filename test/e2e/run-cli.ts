/** Runs the real dentfarm CLI in a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const SHARED = resolve(ROOT, '../shared/assets');

/**
 * The runs tests start may read the shared test assets and files the tests
 * make in temporary folders; the tests of the rule itself set it otherwise.
 */
const TEST_ENV = { DENTFARM_ASSET_ROOTS: [SHARED, realpathSync(tmpdir())].join(delimiter) };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], timeoutMs = 600_000, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dentfarm.js'), ...args], { cwd: ROOT, env: { ...process.env, ...TEST_ENV, ...env } });
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

export interface BackgroundRun {
  child: ChildProcess;
  /** Everything the run has written to stderr so far. */
  stderr(): string;
  /** The exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts the CLI without waiting for it, so a test can signal or kill it partway. */
export function startCli(args: string[], options: { detached?: boolean } = {}): BackgroundRun {
  const child = spawn(process.execPath, [join(ROOT, 'bin/dentfarm.js'), ...args], { cwd: ROOT, env: { ...process.env, ...TEST_ENV }, detached: options.detached ?? false });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  child.stdout?.resume();
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, stderr: () => stderr, exited };
}

/** Waits until a run into `out` has finished at least `count` jobs (their records are written). */
export async function waitForJobRecords(out: string, count: number, timeoutMs = 120_000): Promise<void> {
  const jobs = join(out, 'jobs');
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    if (existsSync(jobs) && readdirSync(jobs).filter((f) => f.endsWith('.json')).length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${count} finished jobs in ${out} within ${timeoutMs} ms`);
}
