#!/usr/bin/env node
/**
 * Benchmark: the generic sedan from ../shared/assets under a city map,
 * default damage, 1024x768 with the config defaults otherwise. Measures, in
 * this one process tree:
 *   - the floor: a warmed page rendering the same scenes' colour and ID
 *     passes and reading both back, nothing else;
 *   - moving one job's pixels from a page to Node: a WebSocket message of
 *     raw bytes (what the farm does) against base64 text over DevTools;
 *   - full `dentfarm render` runs for each worker count, `--repeats` times:
 *     images per second, CPU busy share in steady state, peak memory per
 *     worker (its Chromium process tree) and of Node, time to first image,
 *     and the per-stage medians of summary.json's stage_ms;
 *   - a long run of small images for memory growth.
 * Prints a table and writes the figures to BENCHMARKS.md (or --out). Usage:
 *   node scripts/bench.mjs [--quick] [--repeats 3] [--jobs 16] [--workers 1,2,3,4] [--size 1024x768]
 *     [--floor-scenes 4] [--floor-repeats 5] [--memory-jobs 50,500] [--memory-size 160x120]
 *     [--out FILE] [--keep]
 * --quick: a smoke run of every step (256x192, 3 jobs, workers 1,2, one run each,
 * memory at 5 and 15 jobs of 96x72); options given with it still win.
 * Exits 2 when ../shared/assets is missing: the benchmark needs real models.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const ASSETS = resolve(ROOT, '..', 'shared', 'assets');
const MODEL = join(ASSETS, 'car-models', 'generic-sedan-2010', 'generic-sedan-2010.glb');
const ENVIRONMENT = join(ASSETS, 'environments', 'potsdamer_platz_1k.env');
/** The reference figure for an offline path tracer: Blender Cycles, 16 samples, on 2 cores (not measured here). */
const CYCLES_SECONDS_PER_IMAGE = 5.5;
const SAMPLE_MS = 500;
const TRANSFER_REPEATS = 9;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repeats: { type: 'string' },
    jobs: { type: 'string' },
    workers: { type: 'string' },
    'floor-scenes': { type: 'string' },
    'floor-repeats': { type: 'string' },
    'memory-jobs': { type: 'string' },
    'memory-size': { type: 'string' },
    size: { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const pick = (name, full, small) => values[name] ?? (quick ? small : full);
const settings = {
  size: parseSize(pick('size', '1024x768', '256x192')),
  repeats: positive('repeats', pick('repeats', '3', '1')),
  jobs: positive('jobs', pick('jobs', '16', '3')),
  workers: pick('workers', '1,2,3,4', '1,2').split(',').map((w) => positive('workers', w)),
  floorScenes: positive('floor-scenes', pick('floor-scenes', '4', '1')),
  floorRepeats: positive('floor-repeats', pick('floor-repeats', '5', '3')),
  memoryJobs: pick('memory-jobs', '50,500', '5,15').split(',').map((n) => positive('memory-jobs', n)),
  memorySize: parseSize(pick('memory-size', '160x120', '96x72')),
};
const outFile = resolve(values.out ?? join(ROOT, 'BENCHMARKS.md'));

function positive(name, text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`--${name}: expected a positive whole number, found ${JSON.stringify(text)}`);
  return n;
}

function parseSize(text) {
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match) usage(`size: expected WIDTHxHEIGHT such as 1024x768, found ${JSON.stringify(text)}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

function usage(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

if (!existsSync(MODEL) || !existsSync(ENVIRONMENT)) {
  usage(`${existsSync(ASSETS) ? (existsSync(MODEL) ? ENVIRONMENT : MODEL) : ASSETS} is missing; the benchmark renders the real generic sedan and city map: put the shared assets at ${ASSETS} (beside the dentfarm folder)`);
}
if (!existsSync(join(ROOT, 'dist', 'index.js'))) usage('dist/ is missing; fix: npm run build (or run npm run bench)');
const { Logger, findChromium, measureFloor, measureTransfer, median } = await import(join(ROOT, 'dist', 'index.js'));

const commandStarted = Date.now();
const work = mkdtempSync(join(tmpdir(), 'dentfarm-bench-'));

/** The benchmark's config: everything not named here is dentfarm's default. */
function benchConfig(jobs, size) {
  return {
    name: 'bench',
    seed: 2026,
    modelDirs: [join(ROOT, 'car-models', 'shared')],
    models: ['generic-sedan-2010'],
    lighting: [{ name: 'city', environment: ENVIRONMENT }],
    image: { width: size.width, height: size.height },
    samples: jobs,
  };
}

function writeConfig(name, config) {
  const file = join(work, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

const log = (line) => process.stderr.write(`bench: ${line}\n`);

// ---- /proc sampling ----

function readProcesses() {
  const rows = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rows.set(Number(name), { pid: Number(name), ppid: Number(fields[1]), rssPages: Number(fields[21]) });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return rows;
}

const PAGE_BYTES = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()) || 4096;

/** Proportional set size in bytes (shared pages split among their users), or RSS where smaps_rollup is unreadable. */
function pssOf(pid, rssPages) {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Fall through.
  }
  return rssPages * PAGE_BYTES;
}

function descendants(rows, root) {
  const under = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows.values()) if (under.has(r.ppid) && !under.has(r.pid)) (under.add(r.pid), (grew = true));
  }
  under.delete(root);
  return [...under];
}

/** Memory of the CLI's Node process and of each worker: the Chromium browser it started, with its whole tree. */
function memorySample(cliPid) {
  const rows = readProcesses();
  const cli = rows.get(cliPid);
  if (!cli) return null;
  const browsers = [...rows.values()].filter((r) => r.ppid === cliPid);
  const tree = (pid) => [pid, ...descendants(rows, pid)];
  const sum = (pids, f) => pids.reduce((total, pid) => total + f(pid, rows.get(pid)?.rssPages ?? 0), 0);
  return {
    node: cli.rssPages * PAGE_BYTES,
    workers: browsers.map((b) => ({
      pid: b.pid,
      rss: sum(tree(b.pid), (_, pages) => pages * PAGE_BYTES),
      pss: sum(tree(b.pid), pssOf),
    })),
  };
}

function cpuTimes() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle, total };
}

function countFiles(dir) {
  try {
    return readdirSync(dir).filter((f) => !f.startsWith('.')).length;
  } catch {
    return 0;
  }
}

// ---- one render run, watched ----

/**
 * Runs `dentfarm render` and watches it from /proc every SAMPLE_MS: CPU
 * ticks, memory per worker tree, and finished jobs. `checkpoints`: job counts
 * at which to record the memory (the long run's growth).
 */
async function watchRender(configFile, out, workers, checkpoints = []) {
  const started = Date.now();
  const args = [join(ROOT, 'bin', 'dentfarm.js'), 'render', configFile, '--out', out, '--workers', String(workers), '--asset-root', ASSETS];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
  child.stdout.resume();
  const exited = new Promise((done) => child.on('close', done));

  const ticks = [];
  const peak = { node: 0, workers: new Map() };
  const atCheckpoint = [];
  const remaining = [...checkpoints].sort((a, b) => a - b);
  const sample = () => {
    const memory = memorySample(child.pid);
    const done = countFiles(join(out, 'jobs'));
    ticks.push({ at: Date.now(), cpu: cpuTimes() });
    if (!memory) return;
    peak.node = Math.max(peak.node, memory.node);
    for (const w of memory.workers) {
      const p = peak.workers.get(w.pid) ?? { rss: 0, pss: 0 };
      peak.workers.set(w.pid, { rss: Math.max(p.rss, w.rss), pss: Math.max(p.pss, w.pss) });
    }
    // Only while every worker is up: not during a start, a restart or the close.
    while (remaining.length > 0 && done >= remaining[0] && memory.workers.length === workers) {
      atCheckpoint.push({ jobs: remaining.shift(), done, node: memory.node, workers: memory.workers });
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const code = await exited;
  clearInterval(timer);
  if (code !== 0) {
    throw new Error(`dentfarm render exited ${code}; its last log lines:\n${stderr.split('\n').slice(-8).join('\n')}`);
  }

  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const written = readdirSync(join(out, 'images'))
    .map((f) => statSync(join(out, 'images', f)).mtimeMs)
    .sort((a, b) => a - b);
  const first = written[0];
  const last = written[written.length - 1];
  // Steady state: from the image that completes every worker's first job to
  // the last. A worker's first job carries its browser's start; counting from
  // the very first image would mix those starts into the window.
  const from = written[Math.min(workers, written.length) - 1];
  const window = ticks.filter((t) => t.at >= from && t.at <= last);
  let cpuBusy = null;
  if (window.length >= 2) {
    const a = window[0].cpu;
    const b = window[window.length - 1].cpu;
    cpuBusy = 1 - (b.idle - a.idle) / (b.total - a.total);
  }
  return {
    workers,
    summary,
    seconds: (Date.now() - started) / 1000,
    firstImageS: (first - started) / 1000,
    steadyImagesPerSecond: written.length > workers && last > from ? (written.length - workers) / ((last - from) / 1000) : null,
    cpuBusy,
    peakNode: peak.node,
    peakWorkers: [...peak.workers.values()],
    checkpoints: atCheckpoint,
  };
}

// ---- the benchmark ----

const mainConfig = writeConfig('bench', benchConfig(settings.jobs, settings.size));
const logger = new Logger(process.stderr, 'warn');

log(`floor: ${settings.floorScenes} scene(s) x ${settings.floorRepeats} repeats at ${settings.size.width}x${settings.size.height}`);
const floor = await measureFloor(
  { configFile: mainConfig, packageRoot: ROOT, assetRoots: [ASSETS], gl: 'swiftshader', scenes: settings.floorScenes, repeats: settings.floorRepeats },
  logger,
);

log(`transfer: the pixels of one ${settings.size.width}x${settings.size.height} job from a page to Node, both ways, ${TRANSFER_REPEATS} times each`);
const transfer = await measureTransfer(findChromium(undefined, process.env, () => {}), settings.size.width, settings.size.height, TRANSFER_REPEATS);

const runs = [];
for (const workers of settings.workers) {
  for (let r = 0; r < settings.repeats; r++) {
    const out = join(work, `run-w${workers}-${r}`);
    log(`render: ${settings.jobs} jobs, ${workers} worker(s), run ${r + 1}/${settings.repeats}`);
    const run = await watchRender(mainConfig, out, workers);
    runs.push(run);
    if (!values.keep) rmSync(out, { recursive: true, force: true });
  }
}

const sweep = settings.workers.map((workers) => {
  const mine = runs.filter((r) => r.workers === workers);
  const stageNames = Object.keys(mine[0].summary.stage_ms ?? {});
  return {
    workers,
    imagesPerSecond: median(mine.map((r) => r.summary.imagesPerSecond)),
    steadyImagesPerSecond: median(mine.map((r) => r.steadyImagesPerSecond ?? Number.NaN)),
    cpuBusy: median(mine.map((r) => r.cpuBusy ?? Number.NaN)),
    firstImageS: median(mine.map((r) => r.firstImageS)),
    peakWorkerPss: Math.max(...mine.flatMap((r) => r.peakWorkers.map((w) => w.pss))),
    peakWorkerRss: Math.max(...mine.flatMap((r) => r.peakWorkers.map((w) => w.rss))),
    peakNode: Math.max(...mine.map((r) => r.peakNode)),
    stages: Object.fromEntries(stageNames.map((s) => [s, median(mine.map((r) => r.summary.stage_ms[s]))])),
  };
});
const best = Math.max(...sweep.map((s) => s.steadyImagesPerSecond));
// The default: the fewest workers within 90% of the best steady rate.
const chosen = sweep.find((s) => s.steadyImagesPerSecond >= 0.9 * best) ?? sweep[0];
const single = sweep.find((s) => s.workers === 1);

const [fewJobs, manyJobs] = [settings.memoryJobs[0], settings.memoryJobs[settings.memoryJobs.length - 1]];
log(`memory: ${manyJobs} jobs at ${settings.memorySize.width}x${settings.memorySize.height}, ${chosen.workers} worker(s)`);
const memoryOut = join(work, 'run-memory');
// A few jobs past the last checkpoint, so that it is sampled before the workers close.
const memoryConfig = writeConfig('memory', benchConfig(manyJobs + 4 * chosen.workers, settings.memorySize));
const memoryRun = await watchRender(memoryConfig, memoryOut, chosen.workers, settings.memoryJobs);
if (!values.keep) rmSync(memoryOut, { recursive: true, force: true });
const totalOf = (c) => c.workers.reduce((t, w) => t + w.pss, 0);
const early = memoryRun.checkpoints.find((c) => c.jobs === fewJobs);
const late = memoryRun.checkpoints.find((c) => c.jobs === manyJobs);

// ---- report ----

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const fixed = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const pct = (x) => (x === null || Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(0)}%`);
const floorS = floor.medianMs / 1000;
const singleCostS = single?.steadyImagesPerSecond ? 1 / single.steadyImagesPerSecond : null;
const ratio = singleCostS === null ? null : singleCostS / floorS;
const jobTotalRatio = single?.stages.job_total ? single.stages.job_total / floor.medianMs : null;
const firstImage = Math.min(...runs.map((r) => r.firstImageS));
const growth = early && late ? totalOf(late) / totalOf(early) - 1 : null;
const cyclesRatio = best * CYCLES_SECONDS_PER_IMAGE;
const renderer = runs[0].summary.workers[0]?.renderer ?? floor.info.renderer;

const cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
  if (dirty) commit += ' (with uncommitted changes)';
} catch {
  // Not a git checkout.
}

const stageNames = Object.keys(sweep[0].stages).filter((s) => s !== 'jobs');
const lines = [
  '# dentfarm benchmark',
  '',
  `Written by \`npm run bench\`${quick ? ' (--quick: a smoke run, not figures to quote)' : ''} on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '## Machine',
  '',
  `- CPU: ${cpuModel}, ${cpus().length} cores`,
  `- memory: ${mib(totalmem())}`,
  `- browser: ${floor.browserVersion}`,
  `- WebGL renderer: ${renderer}`,
  `- dentfarm: ${commit}, Node.js ${process.version}`,
  '',
  '## Config',
  '',
  `The generic sedan (car-models/shared/generic-sedan-2010.json) under potsdamer_platz_1k.env, every damage class at its default counts, the market palette, the default view, ${settings.size.width}x${settings.size.height} with the default supersampling (2 x 2 samples a pixel) and PNG output; the visibility check (annotations.minVisibleChange 0.5) renders each job's undamaged twin, and every placed damage gets its unoccluded pass. ${settings.jobs} jobs a run, ${settings.repeats} run(s) per worker count; figures are medians over the runs.`,
  '',
  '```json',
  JSON.stringify(benchConfig(settings.jobs, settings.size), null, 2).replaceAll(ROOT, '<dentfarm>').replaceAll(ASSETS, '<shared assets>'),
  '```',
  '',
  '## Results',
  '',
  `| figure | value |`,
  `|---|---|`,
  `| floor: colour + ID pass + both readbacks, warmed page (median of ${floor.scenes.length} x ${settings.floorRepeats}) | ${fixed(floor.medianMs, 0)} ms |`,
  `| pipeline, 1 worker, steady state | ${singleCostS === null ? 'n/a' : `${fixed(singleCostS * 1000, 0)} ms/image`} |`,
  `| pipeline / floor (1 worker, steady) | ${fixed(ratio)}x (target <= 1.25x) |`,
  `| job_total / floor (1 worker, stage sum) | ${fixed(jobTotalRatio)}x |`,
  `| pixels to Node, colour + ID buffers (${mib(transfer.bytes)}), median of ${transfer.repeats}: a WebSocket message of raw bytes (what the farm does) / base64 over DevTools | ${fixed(transfer.socketMs, 0)} ms / ${fixed(transfer.base64Ms, 0)} ms |`,
  `| best rate | ${fixed(best, 3)} img/s |`,
  `| default worker count from the sweep (fewest within 90% of the best) | ${chosen.workers}, at ${pct(chosen.cpuBusy)} CPU busy (target: >= 85%) |`,
  `| against Blender Cycles 16 samples (${CYCLES_SECONDS_PER_IMAGE} s/image on 2 cores, a reference figure, not measured here) | ${fixed(cyclesRatio, 1)}x (target >= 10x) |`,
  `| first image written, from the command's start (fastest run) | ${fixed(firstImage, 1)} s (target <= 10 s) |`,
  `| memory, ${chosen.workers} worker(s), all workers' PSS after ${fewJobs} jobs -> after ${manyJobs} (${settings.memorySize.width}x${settings.memorySize.height}) | ${early ? mib(totalOf(early)) : 'n/a'} -> ${late ? mib(totalOf(late)) : 'n/a'}: ${growth === null ? 'n/a' : `${growth >= 0 ? '+' : ''}${(100 * growth).toFixed(1)}%`} (target within 10%) |`,
  `| Node (CLI) RSS after ${fewJobs} -> ${manyJobs} jobs | ${early ? mib(early.node) : 'n/a'} -> ${late ? mib(late.node) : 'n/a'} |`,
  '',
  '### Worker sweep',
  '',
  'img/s (run) is summary.json\'s imagesPerSecond (browser start included); img/s (steady) counts the images after each worker\'s first one, from the moment that round is complete to the last image (a run needs more jobs than workers). CPU busy is the whole machine\'s, from /proc/stat, over that steady window. Worker memory is each worker\'s Chromium process tree, sampled every 0.5 s: PSS (shared pages split among the processes) and RSS summed (shared pages counted in each).',
  '',
  '| workers | img/s (run) | img/s (steady) | CPU busy | first image | peak worker PSS | peak worker RSS | peak Node RSS |',
  '|---|---|---|---|---|---|---|---|',
  ...sweep.map((s) => `| ${s.workers} | ${fixed(s.imagesPerSecond, 3)} | ${fixed(s.steadyImagesPerSecond, 3)} | ${pct(s.cpuBusy)} | ${fixed(s.firstImageS, 1)} s | ${mib(s.peakWorkerPss)} | ${mib(s.peakWorkerRss)} | ${mib(s.peakNode)} |`),
  '',
  '### Cost per image by stage',
  '',
  'Medians in milliseconds from summary.json\'s stage_ms (per job, then the median over runs). WebGL queues draws, so a pass\'s drawing can land in the readback after it; `page_total` is the whole call in the page, `job_total` a job\'s page time, transfer and Node stages added up. With several workers the stages share the cores, so each takes longer.',
  '',
  `| stage | ${sweep.map((s) => `${s.workers} worker${s.workers > 1 ? 's' : ''}`).join(' | ')} |`,
  `|---|${sweep.map(() => '---').join('|')}|`,
  ...stageNames.map((name) => `| ${name} | ${sweep.map((s) => fixed(s.stages[name], 1)).join(' | ')} |`),
  '',
  'Run it again with `npm run bench` (about the options: the top of scripts/bench.mjs). CPU figures are the whole machine\'s, so other work running at the same time lowers the rates and raises CPU busy.',
  '',
];
writeFileSync(outFile, lines.join('\n'));

const table = [
  ['floor (ms)', fixed(floor.medianMs, 0)],
  ['pipeline 1 worker (ms/image)', singleCostS === null ? 'n/a' : fixed(singleCostS * 1000, 0)],
  ['pipeline / floor', fixed(ratio)],
  ['pixels to Node: WebSocket / base64 (ms)', `${fixed(transfer.socketMs, 0)} / ${fixed(transfer.base64Ms, 0)}`],
  ...sweep.map((s) => [`${s.workers} worker(s): img/s steady, CPU busy`, `${fixed(s.steadyImagesPerSecond, 3)}, ${pct(s.cpuBusy)}`]),
  ['default workers (>= 90% of best)', String(chosen.workers)],
  ['x Cycles 16 spp', fixed(cyclesRatio, 1)],
  ['first image (s)', fixed(firstImage, 1)],
  [`memory growth ${fewJobs} -> ${manyJobs} jobs`, growth === null ? 'n/a' : `${(100 * growth).toFixed(1)}%`],
];
const width = Math.max(...table.map(([k]) => k.length));
process.stdout.write(`${table.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
log(`wrote ${outFile} in ${((Date.now() - commandStarted) / 1000).toFixed(0)} s${values.keep ? `; runs kept in ${work}` : ''}`);
if (!values.keep) rmSync(work, { recursive: true, force: true });
