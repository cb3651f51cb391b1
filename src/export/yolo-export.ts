/**
 * `dentfarm export DIR --format yolo`: the dataset as Ultralytics YOLO
 * segmentation data, so that trainer needs no converter.
 *
 * Layout (Ultralytics finds a label by putting `labels` for `images` in
 * the image's path):
 *
 *     OUT/data.yaml
 *     OUT/images/<split>/<name>.png     hard links to the dataset's images (copies across file systems)
 *     OUT/labels/<split>/<name>.txt     one line per polygon: `class x1 y1 x2 y2 ...`
 *
 * - Splits come from the `annotations_<split>.json` files beside
 *   annotations.json; without them every image is in `train`, and
 *   data.yaml names `train` for `val` too (Ultralytics requires a `val`).
 * - Class indices: the categories of annotations.json sorted by COCO id,
 *   numbered from 0, so `dent` is 0 to `tire_flat` 5 and part categories
 *   (`render --parts`) follow in id order. data.yaml's `names` lists them.
 * - Ignore regions (`iscrowd` 1) are left out: YOLO labels cannot say
 *   "ignore", and a label there would teach a detection the render chose
 *   not to ask for.
 * - Each mask is traced along pixel edges (see `maskToPolygons`): one line
 *   per 4-connected piece of the mask, since a line holds one polygon;
 *   holes are filled, as a polygon cannot carry them. Coordinates are
 *   pixel corners over the image width and height, 0 to 1, six decimals.
 * - An image without labels gets an empty label file (a background image).
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { decodeRle, type RleInput } from '../annotation/rle';
import { maskToPolygons, polygonsAreExact, rasterizePolygons } from '../annotation/polygon';
import type { InstanceMask } from '../annotation/mask';
import { DentfarmError } from '../errors';
import type { Logger } from '../log/logger';
import { writeAtomic } from '../output/write-atomic';
import { readDataset, type DatasetAnnotation, type DatasetImage } from '../report/read-dataset';

export interface YoloExportSummary {
  out: string;
  images: number;
  /** Label lines written. */
  polygons: number;
  /** Instances written (some as several lines). */
  instances: number;
  /** Instances of several pieces, written as one line per piece. */
  splitInstances: number;
  /** Instances whose holes were filled. */
  filledHoles: number;
  ignoreRegionsLeftOut: number;
  /** Image count per split folder. */
  splits: Record<string, number>;
  /** Class index to category name, as in data.yaml. */
  names: string[];
}

/** The YOLO class index of each COCO category id: position in id order. */
export function yoloClassIndex(categories: readonly { id: number }[]): Map<number, number> {
  return new Map([...categories].sort((a, b) => a.id - b.id).map((c, i) => [c.id, i]));
}

/**
 * The label lines of one instance's mask: one polygon per 4-connected
 * piece, normalised by the image size.
 */
export function yoloLines(classIndex: number, mask: InstanceMask): string[] {
  return maskToPolygons(mask).map((polygon) => {
    const coords = polygon.map((v, i) => formatCoordinate(v / (i % 2 === 0 ? mask.width : mask.height)));
    return `${classIndex} ${coords.join(' ')}`;
  });
}

/** Writes the YOLO dataset of `dir` into `out` (default `DIR/yolo`), replacing an earlier export there. */
export async function exportYolo(dir: string, out: string, logger: Logger, shown = dir): Promise<YoloExportSummary> {
  const dataset = readDataset(dir, shown);
  const classes = yoloClassIndex(dataset.categories);
  const names = [...dataset.categories].sort((a, b) => a.id - b.id).map((c) => c.name);
  if (resolve(out) === resolve(dir)) {
    throw new DentfarmError('USAGE', `--out ${out}: that is the dataset folder itself; fix: pass a new folder, e.g. ${join(shown, 'yolo')}`);
  }
  const byImage = new Map<number, DatasetAnnotation[]>();
  for (const a of dataset.annotations) byImage.set(a.image_id, [...(byImage.get(a.image_id) ?? []), a]);

  for (const sub of ['images', 'labels']) rmSync(join(out, sub), { recursive: true, force: true });
  const summary: YoloExportSummary = { out, images: 0, polygons: 0, instances: 0, splitInstances: 0, filledHoles: 0, ignoreRegionsLeftOut: 0, splits: {}, names };
  for (const image of dataset.images) {
    const split = dataset.splits.get(image.id) ?? 'train';
    const lines: string[] = [];
    for (const a of byImage.get(image.id) ?? []) {
      if (a.iscrowd === 1) {
        summary.ignoreRegionsLeftOut++;
        continue;
      }
      const mask = maskOf(a, image);
      const instance = yoloLines(classes.get(a.category_id)!, mask);
      if (instance.length === 0) continue;
      summary.instances++;
      if (instance.length > 1) summary.splitInstances++;
      if (!polygonsAreExact(mask)) summary.filledHoles++;
      lines.push(...instance);
    }
    const name = basename(image.file_name);
    const stem = name.slice(0, name.length - extname(name).length);
    mkdirSync(join(out, 'images', split), { recursive: true });
    mkdirSync(join(out, 'labels', split), { recursive: true });
    linkOrCopy(join(dir, image.file_name), join(out, 'images', split, name));
    writeFileSync(join(out, 'labels', split, `${stem}.txt`), lines.length ? `${lines.join('\n')}\n` : '');
    summary.images++;
    summary.polygons += lines.length;
    summary.splits[split] = (summary.splits[split] ?? 0) + 1;
  }

  await writeAtomic(join(out, 'data.yaml'), dataYaml(resolve(out), Object.keys(summary.splits), names));
  logger.info(
    `${out}: ${summary.images} images, ${summary.instances} instances in ${summary.polygons} polygons (${summary.splitInstances} of several pieces, ${summary.filledHoles} with holes filled), ${summary.ignoreRegionsLeftOut} ignore regions left out`,
  );
  return summary;
}

function maskOf(a: DatasetAnnotation, image: DatasetImage): InstanceMask {
  return Array.isArray(a.segmentation) ? rasterizePolygons(a.segmentation, image.width, image.height) : decodeRle(a.segmentation as RleInput);
}

function linkOrCopy(from: string, to: string): void {
  if (!existsSync(from)) throw new DentfarmError('OUTPUT_FAILED', `${from}: image listed in annotations.json is missing; fix: render the dataset again (it resumes)`);
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Six decimals, trailing zeros dropped: 0.5, 0.001563, 1. */
function formatCoordinate(v: number): string {
  return String(Number(v.toFixed(6)));
}

function dataYaml(path: string, splits: string[], names: string[]): string {
  const dirs = (list: string[]) => (list.length === 1 ? list[0] : `[${list.join(', ')}]`);
  const others = splits.filter((s) => s !== 'val' && s !== 'test');
  const train = splits.includes('train') ? ['images/train'] : others.map((s) => `images/${s}`);
  const lines = ['# Ultralytics YOLO segmentation data, written by dentfarm export', `path: ${yamlString(path)}`, `train: ${dirs(train)}`];
  if (splits.includes('val')) lines.push('val: images/val');
  else lines.push('# the dataset has no val split: validation runs on the training images', `val: ${dirs(train)}`);
  if (splits.includes('test')) lines.push('test: images/test');
  const unnamed = others.filter((s) => s !== 'train' && splits.includes('train'));
  if (unnamed.length) lines.push(`# also written, in no key above: ${unnamed.map((s) => `images/${s}`).join(', ')}`);
  lines.push('names:', ...names.map((name, i) => `  ${i}: ${yamlString(name)}`));
  return `${lines.join('\n')}\n`;
}

function yamlString(text: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(text) ? text : JSON.stringify(text);
}
