/**
 * One run per output folder: a lock file created atomically, naming the
 * process and host that hold it, and touched every few seconds while the
 * run lasts. A second run is refused while the lock is fresh; a lock whose
 * process is gone (same host) or that nobody has touched for a minute
 * (another host, such as a replaced pod) is stale and taken over.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DentfarmError } from '../errors';

export const LOCK_FILE = '.dentfarm.lock';
const HEARTBEAT_MS = 5_000;
const STALE_MS = 60_000;

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

export class FolderLock {
  private constructor(
    private readonly path: string,
    private readonly timer: NodeJS.Timeout,
  ) {}

  /** Takes the folder's lock; returns a note when a stale lock was taken over. */
  static acquire(folder: string, onTakeOver: (message: string) => void): FolderLock {
    const path = join(folder, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, `${JSON.stringify(owner)}\n`);
        closeSync(fd);
        const timer = setInterval(() => {
          const now = new Date();
          try {
            utimesSync(path, now, now);
          } catch {
            // The folder went away; the run will fail on its next write.
          }
        }, HEARTBEAT_MS);
        timer.unref();
        return new FolderLock(path, timer);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = readOwner(path);
      const age = Date.now() - statSync(path).mtimeMs;
      const alive = held && held.host === owner.host ? processAlive(held.pid) : age < STALE_MS;
      if (alive) throw inUse(folder, path, held);
      onTakeOver(`taking over a stale lock in ${folder} (${held ? `pid ${held.pid} on ${held.host}` : 'unreadable'}, last touched ${Math.round(age / 1000)} s ago)`);
      rmSync(path, { force: true });
    }
    throw new DentfarmError('USAGE', `${folder}: could not take the lock ${path}; fix: remove it if no run uses the folder`);
  }

  /**
   * Refuses now, before any browser starts, if another live run holds the
   * folder's lock; a stale lock is left for `acquire` to take over.
   */
  static assertFree(folder: string): void {
    const path = join(folder, LOCK_FILE);
    if (!existsSync(path)) return;
    const held = readOwner(path);
    const age = Date.now() - statSync(path).mtimeMs;
    const alive = held && held.host === hostname() ? processAlive(held.pid) : age < STALE_MS;
    if (alive) throw inUse(folder, path, held);
  }

  release(): void {
    clearInterval(this.timer);
    if (existsSync(this.path)) rmSync(this.path, { force: true });
  }
}

function inUse(folder: string, path: string, held: LockOwner | null): DentfarmError {
  return new DentfarmError(
    'USAGE',
    `${folder} is in use by another run (${held ? `pid ${held.pid} on ${held.host}, since ${held.started}` : 'unknown owner'}); fix: wait for it, choose another --out, or remove ${path} if that run is gone`,
  );
}

function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
