/**
 * `dentfarm merge OUT SHARD_DIRS...`: one dataset from the outputs of the
 * shards of one config. Image ids and file names already come from the
 * global grid, so merging sorts images by id, numbers annotations in
 * (image, instance) order exactly as a single run does, and links (or
 * copies) the image files into OUT: the result is byte for byte the
 * single run's, whatever the order of the shard folders.
 */
import { copyFile, link, mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DentfarmError } from '../errors';
import type { CocoCategory } from '../annotation/categories';
import type { JobAnnotation } from '../annotation/annotate-job';
import { buildCocoDataset, type RenderedImage } from '../output/coco-dataset';
import { writeAtomic } from '../output/write-atomic';
import { writeSplits, type Split } from '../output/splits';
import type { Logger } from '../log/logger';

export interface MergeSummary {
  shards: number;
  images: number;
  annotations: number;
}

export async function mergeDatasets(out: string, dirs: readonly string[], logger: Logger, splits: readonly Split[] | null = null): Promise<MergeSummary> {
  if (dirs.length === 0) throw new DentfarmError('USAGE', 'merge: no shard folders given; fix: dentfarm merge OUT SHARD_DIR...');
  // Writing into a shard would overwrite the very files being merged.
  const into = dirs.find((d) => resolve(d) === resolve(out));
  if (into) throw new DentfarmError('USAGE', `merge: the output ${out} is also one of the shards; fix: merge into a new folder, e.g. dentfarm merge ${out}-merged ...`);
  const shards = dirs.map((dir) => ({ dir, coco: readDataset(dir) }));

  // Shards of one config share info and licences; categories match by name.
  const first = shards[0];
  const categories = new Map<string, CocoCategory>();
  for (const { dir, coco } of shards) {
    // The same config may sit at another path on another machine.
    const sameConfig = (info: Record<string, unknown>) => JSON.stringify({ ...info, config_file: undefined });
    if (sameConfig(coco.info) !== sameConfig(first.coco.info)) {
      throw new DentfarmError(
        'USAGE',
        `merge: ${dir} was rendered from another config than ${first.dir} (info.config_sha256 ${coco.info?.config_sha256} vs ${first.coco.info?.config_sha256}); fix: merge only shards of one config`,
      );
    }
    for (const c of coco.categories as CocoCategory[]) {
      const known = categories.get(c.name);
      if (known && known.id !== c.id) {
        throw new DentfarmError('USAGE', `merge: category "${c.name}" has id ${c.id} in ${dir} but ${known.id} elsewhere; fix: merge shards of one dentfarm version`);
      }
      categories.set(c.name, c);
    }
  }

  const rendered = new Map<number, RenderedImage>();
  const sources = new Map<string, string>();
  for (const { dir, coco } of shards) {
    const byImage = new Map<number, JobAnnotation[]>();
    const ordered = [...coco.annotations].sort((a: { id: number }, b: { id: number }) => a.id - b.id);
    for (const { id: _id, image_id, ...annotation } of ordered) {
      byImage.set(image_id, [...(byImage.get(image_id) ?? []), annotation as JobAnnotation]);
    }
    for (const image of coco.images) {
      if (rendered.has(image.id)) throw new DentfarmError('USAGE', `merge: image ${image.id} (${image.file_name}) is in two shards; fix: give each shard folder once`);
      rendered.set(image.id, { image, annotations: byImage.get(image.id) ?? [] });
      for (const file of [image.file_name, image.dentfarm?.twin_file_name].filter(Boolean) as string[]) {
        if (sources.has(file)) throw new DentfarmError('USAGE', `merge: ${file} is in two shards`);
        sources.set(file, join(dir, file));
      }
    }
  }

  let linked = 0;
  for (const [file, source] of sources) {
    const target = join(out, file);
    if (target === source) continue;
    await mkdir(dirname(target), { recursive: true });
    if (existsSync(target)) continue;
    // A hard link costs nothing on the shared volume a cluster writes to.
    await link(source, target).catch(() => copyFile(source, target));
    linked++;
  }
  const dataset = buildCocoDataset(first.coco.info, first.coco.licenses, rendered.values(), [...categories.values()].sort((a, b) => a.id - b.id));
  await writeAtomic(join(out, 'annotations.json'), `${JSON.stringify(dataset)}\n`);
  if (splits) await writeSplits(out, dataset, splits);
  const summary = { shards: shards.length, images: rendered.size, annotations: (dataset.annotations as unknown[]).length };
  logger.info(`merged ${summary.shards} shards into ${out}: ${summary.images} images (${linked} files linked or copied), ${summary.annotations} annotations`);
  return summary;
}

function readDataset(dir: string): any {
  const file = join(dir, 'annotations.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DentfarmError('USAGE', `merge: cannot read ${file}: ${(error as Error).message.split('\n')[0]}; fix: pass folders a render --shard wrote`);
  }
}
