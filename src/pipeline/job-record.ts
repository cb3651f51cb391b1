/**
 * Job records: once a job's images are written, a small JSON file under
 * `jobs/` holds its labels and a fingerprint of everything its output
 * depends on (the job's drawn values, the output options, the hashes of the
 * model's files, the environment map, the backplate and dentfarm's own
 * code). A run into a folder that has records renders only the jobs
 * without a matching one: it resumes a stopped run, renders just the jobs
 * of a new or changed model, and leaves finished images untouched.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { modelFiles } from '../car/model-files';
import type { RenderRequest } from '../protocol';
import type { RenderedImage } from '../output/coco-dataset';
import { writeAtomic } from '../output/write-atomic';

export const JOB_RECORD_FOLDER = 'jobs';

export interface JobCounts {
  ignored: number;
  dropped: number;
  faint: number;
  hidden: number;
  unplaced: number;
}

export interface JobRecord {
  key: string;
  fingerprint: string;
  rendered: RenderedImage;
  counts: JobCounts;
}

/** Hashes of input files, each computed once per run. */
export class InputHashes {
  private readonly cache = new Map<string, string>();

  /** A model file and the buffers and images it refers to (see modelFiles). */
  model(path: string): string {
    return this.memo(`model:${path}`, () => {
      const hash = createHash('sha256');
      for (const file of modelFiles(path)) hashFile(hash.update(relative(dirname(path), file)), file);
      return hash.digest('hex');
    });
  }

  file(path: string): string {
    return this.memo(`file:${path}`, () => hashFile(createHash('sha256'), path).digest('hex'));
  }

  private memo(key: string, compute: () => string): string {
    let value = this.cache.get(key);
    if (value === undefined) {
      value = compute();
      this.cache.set(key, value);
    }
    return value;
  }
}

/** Feeds `path` into `hash` a block at a time, so files of any size hash in little memory. */
function hashFile(hash: Hash, path: string): Hash {
  const block = Buffer.alloc(1 << 22);
  const fd = openSync(path, 'r');
  try {
    for (let read; (read = readSync(fd, block, 0, block.length, null)) > 0; ) hash.update(block.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash;
}

/**
 * The fingerprint of one job: its request without the run's URLs (which
 * change with the server's port), plus `inputs`, the hashes and options the
 * caller adds.
 */
export function jobFingerprint(request: RenderRequest, inputs: Record<string, unknown>): string {
  const { modelUrl: _model, lighting, background, ...rest } = request;
  const { environmentUrl: _env, ...light } = lighting;
  const backdrop = background.type === 'image' ? { ...background, url: undefined } : background;
  return createHash('sha256').update(JSON.stringify({ ...rest, lighting: light, background: backdrop, inputs })).digest('hex');
}

function recordPath(outDir: string, key: string): string {
  return join(outDir, JOB_RECORD_FOLDER, `${key.replace(/\//g, '__')}.json`);
}

/** The job's record if it exists and matches `fingerprint`, else null. */
export function readJobRecord(outDir: string, key: string, fingerprint: string): JobRecord | null {
  const path = recordPath(outDir, key);
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as JobRecord;
    if (record.fingerprint !== fingerprint || record.key !== key) return null;
    const image = record.rendered.image as { file_name: string; dentfarm?: { twin_file_name?: string } };
    const files = [image.file_name, image.dentfarm?.twin_file_name].filter(Boolean) as string[];
    return files.every((f) => existsSync(join(outDir, f))) ? record : null;
  } catch {
    return null;
  }
}

/** Written after the job's images, atomically: a record never points at a missing image. */
export async function writeJobRecord(outDir: string, record: JobRecord): Promise<void> {
  const path = recordPath(outDir, record.key);
  await writeAtomic(path, `${JSON.stringify(record)}\n`);
}

/**
 * Removes the records and images of jobs whose keys are not in `keep` (jobs
 * no longer in the config's grid). Returns the keys removed.
 */
export async function pruneJobRecords(outDir: string, keep: ReadonlySet<string>): Promise<string[]> {
  const folder = join(outDir, JOB_RECORD_FOLDER);
  if (!existsSync(folder)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    let record: JobRecord;
    try {
      record = JSON.parse(readFileSync(join(folder, name), 'utf8')) as JobRecord;
    } catch {
      continue;
    }
    if (keep.has(record.key)) continue;
    const image = record.rendered.image as { file_name: string; dentfarm?: { twin_file_name?: string } };
    for (const file of [image.file_name, image.dentfarm?.twin_file_name]) if (file) await rm(join(outDir, file), { force: true });
    await rm(join(folder, name), { force: true });
    removed.push(record.key);
  }
  return removed;
}
