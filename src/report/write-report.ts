/**
 * `dentfarm report DIR`: reads a dataset, and the config it was rendered
 * from where one is given or recorded, and writes the balance report.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { DentfarmError } from '../errors';
import { writeAtomic } from '../output/write-atomic';
import { readAskedDistribution, type AskedDistribution } from './asked-distribution';
import { computeDatasetStats, type DatasetStats } from './dataset-stats';
import { readDataset, type Dataset } from './read-dataset';
import { renderReportHtml } from './report-html';

export interface ReportOptions {
  /** The scene config to compare against; default: `info.config_file` of the dataset, if recorded. */
  configFile?: string;
  /** dentfarm's folder, whose `car-models/` the config's models are looked up in by default. */
  packageRoot: string;
}

/**
 * The config a report compares against: the one passed, else the one the
 * dataset records in `info.config_file` (relative to the dataset folder),
 * else none.
 */
export function askedFor(dataset: Dataset, options: ReportOptions): AskedDistribution | null {
  let file = options.configFile;
  if (file === undefined && typeof dataset.info.config_file === 'string') {
    const recorded = dataset.info.config_file;
    const path = isAbsolute(recorded) ? recorded : join(dataset.dir, recorded);
    if (existsSync(path)) file = path;
  }
  if (file === undefined) return null;
  if (!existsSync(file)) throw new DentfarmError('USAGE', `--config ${file}: no such file; fix: pass the scene config the dataset was rendered from`);
  return readAskedDistribution(resolve(file), options.packageRoot, dataset.images, dataset.info.config_sha256);
}

/** Reads the dataset in `dir` and computes the report's numbers. */
export function datasetReport(dir: string, options: ReportOptions, shown = dir): { dataset: Dataset; stats: DatasetStats } {
  const dataset = readDataset(dir, shown);
  return { dataset, stats: computeDatasetStats(dataset, askedFor(dataset, options)) };
}

/** Writes the report page to `out` and returns its numbers. */
export async function writeReport(dir: string, out: string, options: ReportOptions, shown = dir): Promise<DatasetStats> {
  const { stats } = datasetReport(dir, options, shown);
  await writeAtomic(out, renderReportHtml(stats, shown));
  return stats;
}
