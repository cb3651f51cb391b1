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
 * - Each instance is one line, as Ultralytics reads one object per line:
 *   its mask traced along pixel edges as one polygon (see
 *   `maskToSinglePolygon`). A mask of several pieces or with holes has its
 *   outlines joined by zero-width cuts, as Ultralytics' own COCO converter
 *   joins them, so filling the polygon gives back exactly the mask.
 *   Coordinates are pixel corners over the image width and height, 0 to 1,
 *   six decimals.
 * - An image without labels gets an empty label file (a background image).
 * - `OUT` must be new, empty, or an earlier export (its data.yaml starts
 *   with {@link DATA_YAML_HEADER}): only then are its `data.yaml`,
 *   `images/` and `labels/` replaced, other files there kept. It may not
 *   be the dataset folder or hold it. The new export is built in
 *   `.<name>.partial-XXXXXX` beside `OUT` and swapped in when complete.
 */
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { decodeRle, type RleInput } from '../annotation/rle';
import { maskToPolygons, maskToSinglePolygon, polygonsAreExact, rasterizePolygons } from '../annotation/polygon';
import type { InstanceMask } from '../annotation/mask';
import { DentfarmError } from '../errors';
import type { Logger } from '../log/logger';
import { readDataset, type DatasetAnnotation, type DatasetImage } from '../report/read-dataset';

/** The first line of every data.yaml an export writes; it marks a folder an export may overwrite. */
export const DATA_YAML_HEADER = '# Ultralytics YOLO segmentation data, written by dentfarm export';

export interface YoloExportSummary {
  out: string;
  images: number;
  /** Instances written, one label line each. */
  instances: number;
  /** Instances of several pieces or with holes, their outlines joined by zero-width cuts. */
  joinedOutlines: number;
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
 * The label line of one instance's mask, normalised by the image size, or
 * null for an empty mask.
 */
export function yoloLine(classIndex: number, mask: InstanceMask): string | null {
  const polygon = maskToSinglePolygon(mask);
  if (polygon.length === 0) return null;
  const coords = polygon.map((v, i) => formatCoordinate(v / (i % 2 === 0 ? mask.width : mask.height)));
  return `${classIndex} ${coords.join(' ')}`;
}

/**
 * Writes the YOLO dataset of `dir` into `out` (default `DIR/yolo`),
 * replacing an earlier export there.
 *
 * Everything that can be checked is checked before anything is written:
 * the dataset (every segmentation decodes, see `readDataset`), the folder,
 * and that every listed image is there. The export is then built in a
 * temporary folder beside `out` and swapped in only once complete, so a
 * failure at any point leaves an earlier export in `out` as it was.
 *
 * @param shown - How the dataset folder is named in messages (the path the user typed).
 * @throws DentfarmError (USAGE) for a dataset without images, with an
 *   image without a size or missing, or an annotation of no listed category, or an `out` that is a file or a broken link,
 *   holds the dataset, or holds files no export wrote.
 */
export async function exportYolo(dir: string, out: string, logger: Logger, shown = dir): Promise<YoloExportSummary> {
  const dataset = readDataset(dir, shown);
  if (dataset.images.length === 0) {
    throw new DentfarmError('USAGE', `${join(shown, 'annotations.json')}: no images to export (its "images" list is empty); fix: render into ${shown} first, or pass a dataset that has images`);
  }
  const target = checkExportFolder(dir, out, shown);
  // Label coordinates are over the image's width and height.
  const unsized = dataset.images.find((image) => ![image.width, image.height].every((n) => Number.isSafeInteger(n) && n > 0));
  if (unsized) {
    throw new DentfarmError('USAGE', `${join(shown, 'annotations.json')}: image ${unsized.id} (${unsized.file_name}): width ${unsized.width}, height ${unsized.height}: expected whole numbers of pixels above 0; nothing was exported; fix: render the dataset again`);
  }
  const classes = yoloClassIndex(dataset.categories);
  const unlisted = dataset.annotations.find((a) => !classes.has(a.category_id));
  if (unlisted) {
    throw new DentfarmError('USAGE', `${join(shown, 'annotations.json')}: annotation ${unlisted.id} (image ${unlisted.image_id}): category_id ${unlisted.category_id} is not in "categories"; nothing was exported; fix: render the dataset again, or remove that annotation`);
  }
  const missing = dataset.images.filter((image) => !isFile(join(dir, image.file_name)));
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more of the ${dataset.images.length})` : '';
    throw new DentfarmError('USAGE', `${join(shown, missing[0].file_name)}: image ${missing[0].id} listed in annotations.json is missing${more}; nothing was exported; fix: render the dataset again (it resumes)`);
  }
  const names = [...dataset.categories].sort((a, b) => a.id - b.id).map((c) => c.name);
  const byImage = new Map<number, DatasetAnnotation[]>();
  for (const a of dataset.annotations) byImage.set(a.image_id, [...(byImage.get(a.image_id) ?? []), a]);
  const splitOf = (image: DatasetImage) => dataset.splits.get(image.id) ?? 'train';

  // TODO: a partial folder left by a killed export is not removed by the next one - it stays beside OUT until deleted by hand.
  const summary: YoloExportSummary = { out, images: 0, instances: 0, joinedOutlines: 0, ignoreRegionsLeftOut: 0, splits: {}, names };
  let building: string;
  try {
    mkdirSync(dirname(target), { recursive: true });
    building = mkdtempSync(join(dirname(target), `.${basename(target)}.partial-`));
  } catch (error) {
    throw writeFailed(out, error);
  }
  try {
    writeFileSync(join(building, 'data.yaml'), dataYaml(resolve(out), [...new Set(dataset.images.map(splitOf))], names));
    for (const image of dataset.images) {
      const split = splitOf(image);
      const lines: string[] = [];
      for (const a of byImage.get(image.id) ?? []) {
        if (a.iscrowd === 1) {
          summary.ignoreRegionsLeftOut++;
          continue;
        }
        const mask = maskOf(a, image);
        const line = yoloLine(classes.get(a.category_id)!, mask);
        if (line === null) continue;
        summary.instances++;
        if (maskToPolygons(mask).length > 1 || !polygonsAreExact(mask)) summary.joinedOutlines++;
        lines.push(line);
      }
      const name = basename(image.file_name);
      const stem = name.slice(0, name.length - extname(name).length);
      mkdirSync(join(building, 'images', split), { recursive: true });
      mkdirSync(join(building, 'labels', split), { recursive: true });
      linkOrCopy(join(dir, image.file_name), join(building, 'images', split, name));
      writeFileSync(join(building, 'labels', split, `${stem}.txt`), lines.length ? `${lines.join('\n')}\n` : '');
      summary.images++;
      summary.splits[split] = (summary.splits[split] ?? 0) + 1;
    }
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw writeFailed(out, error);
  }
  swapIn(building, target, out);

  logger.info(
    `${out}: ${summary.images} images, ${summary.instances} instances (${summary.joinedOutlines} of several pieces or with holes, joined into one polygon each), ${summary.ignoreRegionsLeftOut} ignore regions left out`,
  );
  return summary;
}

/** A file system error while writing, as one line; anything else (a bug) as it is. */
function writeFailed(out: string, error: unknown): unknown {
  if (error instanceof DentfarmError || typeof (error as NodeJS.ErrnoException)?.code !== 'string') return error;
  return new DentfarmError('OUTPUT_FAILED', `--out ${out}: the export could not be written (${(error as Error).message}); an earlier export there is unchanged; fix: free space or allow writing there, or pass another --out`);
}

/** What an export writes in its folder; anything else there is kept when it is replaced. */
const EXPORT_ENTRIES = new Set(['data.yaml', 'images', 'labels']);

/**
 * Puts the complete export in `building` at `target`: straight there when
 * `target` is new, else by renaming the old folder aside, this one in, and
 * moving across whatever else the old folder held besides an export's own
 * entries. Only then is the old export removed.
 */
function swapIn(building: string, target: string, given: string): void {
  const old = `${building}.old`;
  const existed = existsSync(target);
  try {
    if (existed) renameSync(target, old);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw new DentfarmError('OUTPUT_FAILED', `--out ${given}: the folder cannot be replaced (${(error as Error).message}); the earlier export there is unchanged; fix: pass a folder that is not a mount point, in a folder you may write to`);
  }
  try {
    renameSync(building, target);
  } catch (error) {
    if (existed) renameSync(old, target);
    rmSync(building, { recursive: true, force: true });
    throw writeFailed(given, error);
  }
  if (!existed) return;
  for (const name of readdirSync(old)) if (!EXPORT_ENTRIES.has(name)) renameSync(join(old, name), join(target, name));
  rmSync(old, { recursive: true, force: true });
}

/**
 * Refuses an export folder whose images/ and labels/ are not an export's
 * own to replace: a file or a link to nothing, the dataset folder or a
 * folder holding it (by real path, so a link to it counts), or a folder
 * with other files and no data.yaml of an earlier export. A folder inside
 * the dataset is fine (the default is DIR/yolo): the export only ever
 * deletes its own links.
 *
 * @returns The real path of the folder to write (links followed), which may not exist yet.
 */
function checkExportFolder(dir: string, given: string, shown: string): string {
  const out = resolve(given);
  const fix = `fix: pass a new or empty folder, e.g. --out ${join(shown, 'yolo')}`;
  // The nearest existing ancestor of `out` (or `out`), stopping at a link that leads nowhere.
  let existing = out;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    if (isLink(existing)) {
      throw new DentfarmError('USAGE', `--out ${given}: ${existing === out ? 'is' : `${existing} is`} a link to ${readlinkSync(existing)}, which does not exist; fix: remove the link or create what it points to, or pass a new or empty folder, e.g. --out ${join(shown, 'yolo')}`);
    }
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory()) {
    throw new DentfarmError('USAGE', `--out ${given}: ${existing === out ? 'is a file' : `${existing} is a file`}, not a folder; ${fix}`);
  }
  const realOut = join(realpathSync(existing), relative(existing, out));
  const realDir = realpathSync(dir);
  if (realOut === realDir || realDir.startsWith(realOut.endsWith(sep) ? realOut : realOut + sep)) {
    throw new DentfarmError('USAGE', `--out ${given}: ${realOut === realDir ? 'is' : 'holds'} the dataset folder ${shown}, whose files an export would replace; ${fix}`);
  }
  if (existing !== out || readdirSync(out).length === 0) return realOut;
  const yaml = join(out, 'data.yaml');
  const ours = existsSync(yaml) && statSync(yaml).isFile() && readFileSync(yaml, 'utf8').startsWith(`${DATA_YAML_HEADER}\n`);
  if (!ours) {
    throw new DentfarmError('USAGE', `--out ${given}: the folder holds files, and no data.yaml of an earlier dentfarm export, so its images/ and labels/ are not the export's to replace; ${fix}`);
  }
  return realOut;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function maskOf(a: DatasetAnnotation, image: DatasetImage): InstanceMask {
  return Array.isArray(a.segmentation) ? rasterizePolygons(a.segmentation, image.width, image.height) : decodeRle(a.segmentation as RleInput);
}

function linkOrCopy(from: string, to: string): void {
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
  const lines = [DATA_YAML_HEADER, `path: ${yamlString(path)}`, `train: ${dirs(train)}`];
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
