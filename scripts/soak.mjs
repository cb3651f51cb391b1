#!/usr/bin/env node
/**
 * Soak run: renders many small jobs while killing the renderer processes of
 * one browser (its page with them) every `--every` finished jobs, then
 * checks that every image and label is there and valid. Usage:
 *   node scripts/soak.mjs [--jobs 1000] [--every 100] [--workers 2] [--out DIR]
 * Prints one JSON line with the figures; exits 1 if anything is missing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    every: { type: 'string', default: '100' },
    workers: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
const jobs = Number(values.jobs);
const every = Number(values.every);
const work = mkdtempSync(join(tmpdir(), 'dentfarm-soak-'));
const out = values.out ? resolve(values.out) : join(work, 'out');
const config = join(work, 'soak.json');
// Two paints x samples: jobs/2 samples each; tiny images, one dent, no twin.
writeFileSync(
  config,
  JSON.stringify({
    name: 'soak',
    seed: 1000,
    models: ['dentfarm-sedan', 'dentfarm-hatchback'],
    paints: ['red', 'white'],
    damage: { dent: { count: 1 }, scratch: { count: 1 } },
    lighting: [{ environment: 'studio' }],
    views: [{ name: 'around', azimuthDeg: [0, 360] }],
    samples: Math.ceil(jobs / 4),
    image: { width: 96, height: 72, supersample: 1 },
    annotations: { minVisibleChange: 0 },
  }),
);

/** The renderer processes of the first browser the run started (its page among them). */
function renderersOfOneBrowser(root) {
  const rows = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, ppid, ...args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args.join(' ') }));
  for (const browser of rows.filter((r) => r.ppid === root && /chrom/.test(r.args))) {
    const under = new Set([browser.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of rows) if (under.has(r.ppid) && !under.has(r.pid)) (under.add(r.pid), (grew = true));
    }
    const renderers = rows.filter((r) => under.has(r.pid) && r.args.includes('--type=renderer') && !r.args.includes('--top-chrome-webui'));
    if (renderers.length > 0) return renderers.map((r) => r.pid);
  }
  return [];
}

const started = Date.now();
const args = [join(ROOT, 'bin/dentfarm.js'), 'render', config, '--out', out, '--workers', values.workers, '--limit', String(jobs)];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
child.stdout.resume();
const exited = new Promise((done) => child.on('close', done));

let kills = 0;
let next = every;
const records = join(out, 'jobs');
const watcher = setInterval(() => {
  const done = existsSync(records) ? readdirSync(records).filter((f) => f.endsWith('.json')).length : 0;
  if (done >= next && next < jobs) {
    const victims = renderersOfOneBrowser(child.pid);
    if (victims.length > 0) {
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      kills++;
      process.stderr.write(`soak: ${done} jobs done, killed the renderers of one browser: ${victims.join(', ')} (${kills})\n`);
    }
    next += every;
  }
}, 100);
const code = await exited;
clearInterval(watcher);
const seconds = (Date.now() - started) / 1000;

const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
const files = readdirSync(join(out, 'images'));
const validate = spawn(process.execPath, [join(ROOT, 'bin/dentfarm.js'), 'validate', out], { stdio: ['ignore', 'pipe', 'inherit'] });
let report = '';
validate.stdout.on('data', (d) => (report += d));
const validated = await new Promise((done) => validate.on('close', done));
const retried = (stderr.match(/attempt 1\/2 failed/g) ?? []).length;
const figures = {
  jobs,
  exit: code,
  images: coco.images.length,
  files: files.length,
  annotations: coco.annotations.length,
  unique_files: new Set(coco.images.map((i) => i.file_name)).size,
  renderers_killed: kills,
  jobs_retried: retried,
  failed: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).failed.length,
  validate_exit: validated,
  seconds,
  out,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
if (validated !== 0) process.stdout.write(report);
const ok = code === 0 && validated === 0 && figures.images === jobs && figures.files === jobs && figures.unique_files === jobs && kills >= Math.floor((jobs - 1) / every);
process.exitCode = ok ? 0 : 1;
