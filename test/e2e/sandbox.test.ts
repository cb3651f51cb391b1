import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli';

const USER = 'dentfarm-sandbox-test';

/**
 * As root, a plain user to run dentfarm as (the container's case); null where that is not possible.
 * TODO: started by a user that is not root, the test skips: making the user needs root.
 */
function plainUser(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  try {
    execFileSync('id', [USER], { stdio: 'ignore' });
    return USER;
  } catch {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', USER], { stdio: 'ignore' });
      return USER;
    } catch {
      return null;
    }
  }
}

const user = plainUser();

describe.skipIf(!user)("Chromium's sandbox for a user that is not root", () => {
  it('is on, and WebGL2 renders the calibration scene inside it', async () => {
    const child = spawn('runuser', ['-u', user!, '--', process.execPath, join(ROOT, 'bin/dentfarm.js'), 'doctor'], { cwd: '/' });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // pid -> what each look at the process found: "seccomp-mode user-namespace".
    const renderers = new Map<string, string[]>();
    // While it runs, the sandboxed renderers sit in user namespaces of their own under a seccomp filter.
    const timer = setInterval(() => {
      try {
        const ps = execFileSync('ps', ['-u', user!, '-o', 'pid=,args='], { encoding: 'utf8' });
        for (const line of ps.split('\n')) {
          const [pid] = line.trim().split(/\s+/);
          if (!line.includes('--type=renderer') || line.includes('--top-chrome-webui')) continue;
          const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
          const ns = execFileSync('readlink', [`/proc/${pid}/ns/user`], { encoding: 'utf8' }).trim();
          const seen = renderers.get(pid) ?? [];
          seen.push(`${/Seccomp:\s+(\d)/.exec(status)?.[1]} ${ns}`);
          renderers.set(pid, seen);
        }
      } catch {
        // Processes come and go.
      }
    }, 100);
    const code = await new Promise<number | null>((done) => child.on('close', done));
    clearInterval(timer);
    expect(code, out).toBe(0);
    expect(out).toContain('sandbox: on');
    expect(out).toContain('all checks passed');
    const own = execFileSync('readlink', ['/proc/self/ns/user'], { encoding: 'utf8' }).trim();
    // A renderer turns its seccomp filter on a few milliseconds after it is forked, longer on a
    // loaded machine, so a look in that moment finds none yet: judge each renderer by its last look,
    // and only those that lived through several looks.
    const settled = [...renderers.values()].filter((seen) => seen.length >= 3).map((seen) => seen[seen.length - 1]);
    expect(settled.length, out).toBeGreaterThan(0);
    for (const r of settled) {
      const [seccomp, ns] = r.split(' ');
      expect(seccomp).toBe('2');
      expect(ns).not.toBe(own);
    }
  }, 120_000);
});
