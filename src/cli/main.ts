/**
 * The dentfarm command line. `main` is a function of argv and streams so
 * tests can run it; the bin file only calls `runFromProcess`.
 */
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import yargs from 'yargs';
import { DentfarmError, EXIT_JOBS_FAILED, EXIT_OK, EXIT_USAGE } from '../errors';
import { Logger } from '../log/logger';
import { renderDataset } from '../pipeline/render-dataset';
import { planText } from '../pipeline/plan';
import { formatValidation, validateDataset } from '../pipeline/validate-dataset';
import { writeContactSheet } from '../output/contact-sheet';
import { runDoctor } from '../pipeline/doctor';
import { resolveShard } from '../grid/shard';
import { mergeDatasets } from '../pipeline/merge-datasets';
import { parseSplits } from '../output/splits';
import { writeReport } from '../report/write-report';
import { checkDatasetFolder } from '../report/read-dataset';
import { exportYolo } from '../export/yolo-export';
import { DatasetServer } from '../serve/dataset-server';

/** dist/cli.js lives one folder below the package root. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Streams {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

export async function main(argv: string[], streams: Streams): Promise<number> {
  const logger = new Logger(streams.stderr);
  let exitCode = EXIT_OK;
  const parser = yargs(argv)
    .scriptName('dentfarm')
    .usage('$0 <command> [options]\n\nSynthetic car-damage images with exact COCO instance labels.')
    .command(
      'render <config>',
      'Render a scene config into images and annotations.json',
      (y) =>
        y
          .positional('config', { type: 'string', demandOption: true, describe: 'Scene config (.json, .yaml)' })
          .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Output folder' })
          .option('workers', { alias: 'w', type: 'number', describe: 'Parallel Chromium workers (default: CPU cores + 1, fewer where memory is short: about 1 GiB each)' })
          .option('chromium', { type: 'string', describe: 'Chromium binary (default: $DENTFARM_CHROMIUM, then system paths)' })
          .option('gl', { choices: ['swiftshader', 'egl', 'vulkan'] as const, default: 'swiftshader' as const, describe: 'GL backend: SwiftShader on the CPU, or the GPU through ANGLE on EGL or Vulkan' })
          .option('polygons', { type: 'boolean', default: false, describe: 'Write polygon segmentation (RLE where a mask has holes)' })
          .option('pairs', { type: 'boolean', default: false, describe: "Also write each image's undamaged twin under twins/ (images[].dentfarm.twin_file_name)" })
          .option('amodal', { type: 'boolean', default: false, describe: "Also write each label's unoccluded mask (RLE) as attributes.amodal_segmentation" })
          .option('parts', { type: 'boolean', default: false, describe: 'Also write a mask per visible car part, as annotations of the part categories (ids from 101)' })
          .option('limit', { type: 'number', describe: 'Render only N jobs, spread evenly over the grid (a quick preview of every axis)' })
          .option('shard', { type: 'string', describe: 'Render only shard I of N (I from 0): the jobs whose index mod N is I' })
          .option('split', { type: 'string', describe: 'Also write annotations_<name>.json per split, e.g. train=0.8,val=0.1,test=0.1 (by a hash of each job key)' })
          .option('prune', { type: 'boolean', default: false, describe: 'Remove the images of jobs no longer in the config (other models, paints, views...)' })
          .option('asset-root', { type: 'string', array: true, describe: "A folder the config may read models, maps and photos from, besides its own and the project's (repeatable; also $DENTFARM_ASSET_ROOTS)" })
          .option('sandbox', { type: 'boolean', default: true, describe: "Chromium's sandbox (needs user namespaces; --no-sandbox where a container refuses them; always off as root)" })
          .option('job-timeout', { type: 'number', default: 300, describe: 'Seconds a job may take before its browser is replaced and the job retried' })
          .option('shards', { type: 'number', describe: 'Render one of N shards, its index from JOB_COMPLETION_INDEX (Kubernetes) or AWS_BATCH_JOB_ARRAY_INDEX' })
          .check((args) => {
            for (const name of ['workers', 'limit', 'job-timeout'] as const) {
              const value = args[name];
              if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
                throw new DentfarmError('USAGE', `--${name} ${String(value)}: expected a whole number of at least 1; fix: pass e.g. --${name} 2`);
              }
            }
            return true;
          })
          .example('$0 render configs/default.json --out out/default', 'Render the built-in default dataset')
          .example('$0 render configs/shared-cars.json -o out/shared -w 2', 'Render the third-party test cars with 2 workers'),
      async (args) => {
        const summary = await renderDataset(
          {
            configFile: args.config,
            outDir: resolve(args.out),
            packageRoot: PACKAGE_ROOT,
            workers: args.workers,
            chromium: args.chromium,
            gl: args.gl,
            segmentation: args.polygons ? 'polygon' : undefined,
            limit: args.limit,
            pairs: args.pairs,
            amodal: args.amodal,
            parts: args.parts,
            shard: resolveShard(args.shard, args.shards, process.env),
            splits: args.split === undefined ? null : parseSplits(args.split),
            prune: args.prune,
            jobTimeoutMs: args['job-timeout'] * 1000,
            assetRoots: (args['asset-root'] ?? []).map((d) => resolve(String(d))),
            sandbox: args.sandbox,
          },
          logger,
        );
        streams.stdout.write(`${JSON.stringify({ out: resolve(args.out), ...summary, failed: summary.failed.length })}\n`);
        if (summary.failed.length > 0) exitCode = EXIT_JOBS_FAILED;
        // The shell's codes for a command stopped by these signals.
        if (summary.stopped) exitCode = summary.stopped === 'SIGINT' ? 130 : 143;
      },
    )
    .command(
      'plan <config>',
      'Print the grid axes, the job count and the first jobs without rendering',
      (y) =>
        y
          .positional('config', { type: 'string', demandOption: true })
          .option('first', { type: 'number', default: 5, describe: 'How many jobs to show' })
          .option('asset-root', { type: 'string', array: true, describe: 'As for render' })
          .example('$0 plan configs/default.json', 'Show what the default config would render'),
      (args) => {
        streams.stdout.write(planText(args.config, PACKAGE_ROOT, args.first, (args['asset-root'] ?? []).map((d) => resolve(String(d)))));
      },
    )
    .command(
      'validate <dir>',
      'Check a rendered dataset and, where twins exist, how well labels match the changed pixels',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding annotations.json' })
          .option('threshold', { type: 'number', default: 3, describe: 'A pixel changed when a channel moved by more than this (0-255)' })
          .example('$0 render configs/default.json -o out/d --pairs && $0 validate out/d', 'Render with twins, then measure label fidelity'),
      async (args) => {
        const report = await validateDataset(resolve(args.dir), args.threshold);
        streams.stdout.write(formatValidation(args.dir, report));
        if (report.faults.length > 0) exitCode = EXIT_JOBS_FAILED;
      },
    )
    .command(
      'preview <dir>',
      'Write a contact sheet: a grid of images with every damage outlined and named',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding annotations.json' })
          .option('out', { alias: 'o', type: 'string', describe: 'Sheet to write (default: DIR/preview.png)' })
          .option('count', { alias: 'n', type: 'number', default: 24, describe: 'Images on the sheet, taken evenly over the dataset' })
          .option('columns', { type: 'number', default: 6, describe: 'Images per row' })
          .option('tile-width', { type: 'number', default: 320, describe: 'Width of one image on the sheet, in pixels' })
          .check((args) => {
            for (const name of ['count', 'columns', 'tile-width'] as const) {
              const value = args[name];
              if (!(Number.isInteger(value) && value >= 1)) {
                throw new DentfarmError('USAGE', `--${name} ${String(value)}: expected a whole number of at least 1; fix: pass e.g. --${name} 4`);
              }
            }
            return true;
          })
          .example('$0 preview out/default', 'Sheet of 24 images at out/default/preview.png'),
      async (args) => {
        const dir = resolve(args.dir);
        if (!existsSync(join(dir, 'annotations.json'))) {
          throw new DentfarmError('USAGE', `${args.dir}: no annotations.json there; fix: pass the folder a render wrote (its --out)`);
        }
        const sheetFile = resolve(args.out ?? join(dir, 'preview.png'));
        if (existsSync(sheetFile) && statSync(sheetFile).isDirectory()) {
          throw new DentfarmError('USAGE', `--out ${args.out}: that is a folder; fix: name the sheet's file, e.g. --out ${join(String(args.out), 'preview.png')}`);
        }
        const sheet = await writeContactSheet(dir, sheetFile, {
          count: args.count,
          columns: args.columns,
          tileWidth: args['tile-width'],
        });
        logger.info(`${sheet.file}: ${sheet.images} images, ${sheet.outlines} damage outlines`);
      },
    )
    .command(
      'report <dir>',
      'Write report.html: plots of how images and instances are spread over models, colours, classes, parts, sizes and views, against what the config asked',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding annotations.json' })
          .option('config', { alias: 'c', type: 'string', describe: 'Scene config the dataset was rendered from, to compare asked against got' })
          .option('out', { alias: 'o', type: 'string', describe: 'Page to write (default: DIR/report.html)' })
          .example('$0 report out/default --config configs/default.json', 'Balance report at out/default/report.html'),
      async (args) => {
        const dir = resolve(args.dir);
        // DIR first: a file there would otherwise be blamed on the default --out inside it.
        checkDatasetFolder(dir, args.dir);
        const out = resolve(args.out ?? join(dir, 'report.html'));
        if (existsSync(out) && statSync(out).isDirectory()) {
          throw new DentfarmError('USAGE', `--out ${args.out}: that is a folder; fix: name the page's file, e.g. --out ${join(String(args.out), 'report.html')}`);
        }
        let parent = dirname(out);
        while (!existsSync(parent)) {
          if (lstatSync(parent, { throwIfNoEntry: false })?.isSymbolicLink()) {
            throw new DentfarmError('USAGE', `--out ${args.out}: ${parent} is a link to ${readlinkSync(parent)}, which does not exist; fix: remove the link or create what it points to, or name a page in a folder, e.g. --out ${join(dir, 'report.html')}`);
          }
          parent = dirname(parent);
        }
        if (!statSync(parent).isDirectory()) {
          throw new DentfarmError('USAGE', `--out ${args.out}: ${parent} is a file, not a folder; fix: name a page in a folder, e.g. --out ${join(dir, 'report.html')}`);
        }
        const stats = await writeReport(dir, out, { configFile: args.config && resolve(args.config), packageRoot: PACKAGE_ROOT }, args.dir);
        const counts = stats.images === 0 ? '0 images (the dataset is empty: annotations.json lists none)' : `${stats.images} images, ${stats.instances} instances`;
        logger.info(`${out}: ${counts}, ${stats.gaps.length} gaps between asked and got`);
        streams.stdout.write(`${JSON.stringify({ report: out, images: stats.images, instances: stats.instances, ignoreRegions: stats.ignoreRegions, gaps: stats.gaps })}\n`);
      },
    )
    .command(
      'export <dir>',
      'Write the dataset in a trainer\'s format: Ultralytics YOLO segmentation labels and data.yaml',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding annotations.json' })
          .option('format', { choices: ['yolo'] as const, demandOption: true, describe: 'Format to write' })
          .option('out', { alias: 'o', type: 'string', describe: 'Folder to write (default: DIR/yolo); its images/ and labels/ are replaced' })
          .example('$0 export out/default --format yolo', 'out/default/yolo/data.yaml, images/ and labels/ for Ultralytics'),
      async (args) => {
        const dir = resolve(args.dir);
        const summary = await exportYolo(dir, resolve(args.out ?? join(dir, 'yolo')), logger, args.dir);
        streams.stdout.write(`${JSON.stringify(summary)}\n`);
      },
    )
    .command(
      'serve <dir>',
      'Browse a dataset on 127.0.0.1: a grid of images with filters, each image with its masks and attributes, and the balance report',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding annotations.json' })
          // A string, so that a bad value is shown as typed (yargs makes "abc" NaN).
          .option('port', { alias: 'p', type: 'string', default: '8080', describe: 'Port on 127.0.0.1 (0: any free port)' })
          .option('config', { alias: 'c', type: 'string', describe: 'Scene config the dataset was rendered from, for the report\'s asked against got' })
          .check((args) => {
            const port = String(args.port);
            if (!(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) {
              throw new DentfarmError('USAGE', `--port ${port}: expected a whole number from 0 to 65535; fix: pass e.g. --port 8080, or --port 0 for any free port`);
            }
            return true;
          })
          .example('$0 serve out/default', 'Open http://127.0.0.1:8080/ in a browser; Ctrl-C stops'),
      async (args) => {
        const server = await DatasetServer.start(resolve(args.dir), { port: Number(args.port), configFile: args.config && resolve(args.config), packageRoot: PACKAGE_ROOT, logger }, args.dir);
        // Listening for the stop signals before saying where it serves, so a
        // supervisor that stops it as soon as it has read that gets a clean exit.
        const stopped = new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            done();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        streams.stdout.write(`${server.url}\n`);
        const empty = server.images === 0 ? ' (the dataset is empty: annotations.json lists no images)' : '';
        logger.info(`serving ${args.dir}${empty} at ${server.url} (balance report at ${server.url}report); Ctrl-C stops`);
        await stopped;
        await server.close();
      },
    )
    .command(
      'merge <out> <shards..>',
      'Merge the outputs of the shards of one config into one dataset, identical to a single run',
      (y) =>
        y
          .positional('out', { type: 'string', demandOption: true, describe: 'Folder for the merged dataset (may be new)' })
          .positional('shards', { type: 'string', array: true, demandOption: true, describe: 'Shard output folders, in any order' })
          .option('split', { type: 'string', describe: 'Also write annotations_<name>.json per split, as render --split does' })
          .example('$0 merge out/all out/shard-0 out/shard-1 out/shard-2', 'One COCO file from three shards'),
      async (args) => {
        const splits = args.split === undefined ? null : parseSplits(args.split);
        const summary = await mergeDatasets(resolve(args.out), (args.shards as string[]).map((d) => resolve(d)), logger, splits);
        streams.stdout.write(`${JSON.stringify({ out: resolve(args.out), ...summary })}\n`);
      },
    )
    .command(
      'doctor',
      'Check the browser and WebGL: which renderer (GPU or software), and a calibration render against known values',
      (y) =>
        y
          .option('chromium', { type: 'string', describe: 'Chromium binary (default: $DENTFARM_CHROMIUM, then system paths)' })
          .option('gl', { choices: ['swiftshader', 'egl', 'vulkan'] as const, default: 'swiftshader' as const, describe: 'GL backend to check' })
          .option('out', { alias: 'o', type: 'string', describe: 'Also write the calibration image (PNG) here' })
          .option('sandbox', { type: 'boolean', default: true, describe: "Chromium's sandbox, as for render" })
          .example('$0 doctor --gl egl', 'Is the GPU used through ANGLE on EGL?'),
      async (args) => {
        const report = await runDoctor({ packageRoot: PACKAGE_ROOT, chromium: args.chromium, gl: args.gl, out: args.out && resolve(args.out), sandbox: args.sandbox }, logger);
        streams.stdout.write([...report.lines, ...report.failures.map((f) => `fault: ${f}`)].join('\n') + '\n');
        if (report.failures.length > 0) exitCode = EXIT_JOBS_FAILED;
      },
    )
    .demandCommand(1, 'name a command: render, plan, validate, preview, report, serve, export, merge or doctor')
    .strict()
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new DentfarmError('USAGE', `${message.replace(/\s*\n\s*/g, ' ')}; fix: see dentfarm --help`);
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof DentfarmError) {
      streams.stderr.write(`dentfarm: ${error.message}\n`);
      return error.exitCode;
    }
    streams.stderr.write(`dentfarm: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_JOBS_FAILED;
  }
  return exitCode;
}

export function runFromProcess(): void {
  let settled = false;
  // Node exits once nothing is left to wait on, even with the command still
  // pending (a promise that can no longer settle): that must not read as success.
  const unfinished = () => {
    if (settled) return;
    process.stderr.write('dentfarm: stopped before the command finished: it was left waiting on something that can no longer happen; run the same command again (a render resumes)\n');
    process.exitCode = EXIT_JOBS_FAILED;
  };
  process.once('beforeExit', unfinished);
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (error) => {
      settled = true;
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
