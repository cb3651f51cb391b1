import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Farm } from '../../src/farm/farm';
import { Logger } from '../../src/log/logger';
import { smallRun } from './small-run';

describe('the farm', () => {
  it('replaces a browser after its share of jobs, and every job still renders once', async () => {
    const run = await smallRun(5);
    const lines: string[] = [];
    const logger = new Logger(new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }), 'info');
    const farm = await Farm.start({ ...run.pageOptions, workers: 1, attempts: 1, recycleAfterJobs: 2 }, logger);
    const rendered: string[] = [];
    const pids = new Set<number | undefined>();
    try {
      await farm.run(run.requests, async (request, result, error) => {
        expect(error).toBeNull();
        expect(result?.color.length).toBeGreaterThan(0);
        rendered.push(request.jobKey);
        pids.add(farm.workers[0].pid);
      });
    } finally {
      await farm.close();
      await run.stop();
    }
    expect(rendered.sort()).toEqual(run.requests.map((r) => r.jobKey).sort());
    // 5 jobs, 2 a browser: replaced after jobs 2 and 4, the third browser renders job 5.
    expect(lines.filter((l) => l.includes('replacing its browser after 2 jobs'))).toHaveLength(2);
    expect(pids.size).toBe(3);
  }, 180_000);

  it('starts the other workers once the first job is done, and closing waits for one still starting', async () => {
    const run = await smallRun(4);
    const events: string[] = [];
    const logger = new Logger(new Writable({ write: (chunk, _encoding, done) => (events.push(String(chunk)), done()) }), 'info');
    const farm = await Farm.start({ ...run.pageOptions, workers: 2, attempts: 1 }, logger);
    const pids: (number | undefined)[] = [];
    expect(farm.workers.filter(Boolean)).toHaveLength(1);
    try {
      await farm.run(run.requests, async (request, result, error) => {
        expect(error).toBeNull();
        events.push(`done ${request.jobKey}`);
      });
    } finally {
      await farm.close();
      pids.push(...farm.workers.map((w) => w.pid));
      await run.stop();
    }
    const firstDone = events.findIndex((e) => e.startsWith('done '));
    const secondUp = events.findIndex((e) => e.includes('"worker":1'));
    expect(firstDone).toBeGreaterThanOrEqual(0);
    expect(secondUp).toBeGreaterThan(firstDone);
    expect(events.filter((e) => e.startsWith('done '))).toHaveLength(4);
    // The second browser came up (here perhaps only after the tiny jobs were done) and was closed with the farm.
    expect(new Set(pids).size).toBe(2);
    const alive = (pid: number | undefined) => {
      try {
        return pid !== undefined && process.kill(pid, 0);
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  }, 180_000);

  it('renders the next job while the last result is being handled, and holds at most one result more per worker', async () => {
    const run = await smallRun(4);
    const logger = new Logger(new Writable({ write: (_chunk, _encoding, done) => done() }), 'info');
    const farm = await Farm.start({ ...run.pageOptions, workers: 1, attempts: 1 }, logger);
    const handed: string[] = [];
    const release: (() => void)[] = [];
    const ran = farm.run(run.requests, (request, result, error) => {
      expect(error).toBeNull();
      handed.push(request.jobKey);
      // Each result's handling waits until the test lets it end.
      return new Promise<void>((done) => release.push(done));
    });
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 600 && !test(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      // The first result is held, yet the worker renders the second job.
      await until(() => handed.length === 2);
      expect(handed).toHaveLength(2);
      // Two results in hand with one worker: the third job waits for one of them.
      await new Promise((r) => setTimeout(r, 3000));
      expect(handed).toHaveLength(2);
      release[0]();
      await until(() => handed.length === 3);
      expect(handed).toHaveLength(3);
      let finished = false;
      void ran.then(() => (finished = true));
      // `run` ends only once every result's handling has.
      release[1]();
      release[2]();
      await until(() => handed.length === 4);
      await new Promise((r) => setTimeout(r, 500));
      expect(finished).toBe(false);
      release[3]();
      await ran;
    } finally {
      for (const done of release) done();
      await farm.close();
      await run.stop();
    }
    expect(handed.sort()).toEqual(run.requests.map((r) => r.jobKey).sort());
  }, 180_000);
});
