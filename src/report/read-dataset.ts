/**
 * Reads a written dataset folder for the tools that look at it (report,
 * serve, export): `annotations.json`, the split files beside it and
 * `summary.json`, exactly as the render left them. Nothing is recomputed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DentfarmError } from '../errors';
import { rleArea, type RleInput } from '../annotation/rle';

/** The dentfarm record of an image (`images[].dentfarm`), as far as the readers use it. */
export interface ImageRecord {
  key?: string;
  model?: { id: string; make?: string; model?: string; body_style?: string };
  paint?: { name: string; hex?: string; finish?: string } | null;
  lighting?: string;
  background?: string;
  view?: string;
  sample?: number;
  camera?: { azimuth_deg?: number; elevation_deg?: number; frame?: string };
  twin_file_name?: string;
  [extra: string]: unknown;
}

/** A COCO image entry. */
export interface DatasetImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  dentfarm?: ImageRecord;
}

/** A COCO annotation; `segmentation` is RLE or a list of polygons in pixels. */
export interface DatasetAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: RleInput | number[][];
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0 | 1;
  attributes?: Record<string, unknown>;
}

export interface DatasetCategory {
  id: number;
  name: string;
  supercategory?: string;
}

export interface Dataset {
  /** Absolute folder that holds annotations.json. */
  dir: string;
  info: Record<string, unknown>;
  images: DatasetImage[];
  annotations: DatasetAnnotation[];
  categories: DatasetCategory[];
  /** Split name per image id, from the `annotations_<split>.json` files; empty without splits. */
  splits: Map<number, string>;
  /** Split names in the order the files sort in. */
  splitNames: string[];
  /** summary.json, or null where the folder has none. */
  summary: Record<string, unknown> | null;
}

/** Whether a category is a car-part mask (written by `render --parts`) rather than damage. */
export function isPartCategory(category: DatasetCategory): boolean {
  return category.supercategory === 'part';
}

/**
 * Reads the dataset in `dir`.
 *
 * @param shown - How the folder is named in error messages (the path the user typed).
 * @throws DentfarmError (USAGE) when the folder or its annotations.json is missing or unreadable.
 */
export function readDataset(dir: string, shown: string = dir): Dataset {
  checkDatasetFolder(dir, shown);
  const file = join(dir, 'annotations.json');
  if (!existsSync(file)) {
    throw new DentfarmError('USAGE', `${shown}: no annotations.json there; fix: pass the folder a render wrote (its --out), after the render has finished`);
  }
  const coco = readJson(file, join(shown, 'annotations.json'));
  for (const key of ['images', 'annotations', 'categories']) {
    if (!Array.isArray(coco[key])) {
      throw new DentfarmError('USAGE', `${join(shown, 'annotations.json')}: "${key}" is not a list; fix: render the dataset again`);
    }
  }

  const imageSizes = new Map<unknown, [number, number]>(coco.images.map((im: any) => [im?.id, [im?.height, im?.width]]));
  for (const a of coco.annotations) checkSegmentation(a, imageSizes, join(shown, 'annotations.json'));

  const splits = new Map<number, string>();
  const splitNames: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = /^annotations_([A-Za-z0-9_-]+)\.json$/.exec(name);
    if (!m) continue;
    splitNames.push(m[1]);
    for (const image of readJson(join(dir, name), join(shown, name)).images ?? []) splits.set(image.id, m[1]);
  }
  const summaryFile = join(dir, 'summary.json');
  const summary = existsSync(summaryFile) ? readJson(summaryFile, join(shown, 'summary.json')) : null;

  return {
    dir,
    info: coco.info ?? {},
    images: coco.images,
    annotations: coco.annotations,
    categories: coco.categories,
    splits,
    splitNames,
    summary,
  };
}

/**
 * Stops a DIR argument that is not a folder: missing, or a file (say the
 * dataset's annotations.json) given where its folder belongs.
 *
 * @param shown - How the folder is named in the message (the path the user typed).
 * @throws DentfarmError (USAGE)
 */
export function checkDatasetFolder(dir: string, shown: string = dir): void {
  if (!existsSync(dir)) {
    throw new DentfarmError('USAGE', `${shown}: no such folder; fix: pass the folder a render wrote (its --out)`);
  }
  if (!statSync(dir).isDirectory()) {
    throw new DentfarmError('USAGE', `${shown}: is a file, not a dataset folder; fix: pass the folder a render wrote (its --out), the one that holds annotations.json`);
  }
}

/**
 * Stops an annotation whose mask the tools could not read: `segmentation`
 * must be RLE (`size` [height, width] and `counts`, a string or a list) or
 * a list of polygons (lists of at least 6 numbers, an even count of finite
 * values); RLE counts must decode and cover `size` exactly, and `size` must
 * be its image's [height, width]. Checked here, once, so that report,
 * serve and export stop on the same one line instead of failing midway.
 */
function checkSegmentation(a: any, imageSizes: Map<unknown, [number, number]>, file: string): void {
  const s = a?.segmentation;
  const rle = s !== null && typeof s === 'object' && !Array.isArray(s) && Array.isArray(s.size) && s.size.length === 2 && s.size.every(Number.isInteger) && (typeof s.counts === 'string' || Array.isArray(s.counts));
  const polygons = Array.isArray(s) && s.every((p: unknown) => Array.isArray(p) && p.length >= 6 && p.every((v) => typeof v === 'number'));
  const fail = (problem: string) => {
    throw new DentfarmError('USAGE', `${file}: annotation ${a?.id} (image ${a?.image_id}): segmentation: ${problem}; fix: render the dataset again, or remove that annotation`);
  };
  if (!rle && !polygons) {
    const found = s === undefined ? 'none' : Array.isArray(s) ? 'a list that is not of polygons' : JSON.stringify(s).slice(0, 40);
    fail(`expected RLE {size, counts} or a list of polygons, found ${found}`);
  }
  if (polygons) {
    const bad = (s as number[][]).findIndex((p) => p.length % 2 !== 0 || !p.every(Number.isFinite));
    if (bad >= 0) fail(`polygon ${bad} has ${s[bad].length} values, expected an even count of finite numbers (x, y pairs)`);
    return;
  }
  try {
    rleArea(s);
  } catch (error) {
    fail(`RLE counts ${excerpt(JSON.stringify(s.counts))} do not decode (${(error as Error).message})`);
  }
  const size = imageSizes.get(a?.image_id);
  if (size && (s.size[0] !== size[0] || s.size[1] !== size[1])) {
    fail(`RLE size [${s.size.join(', ')}] is not its image's [height, width] [${size.join(', ')}]`);
  }
}

function excerpt(text: string): string {
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

function readJson(file: string, shown: string): any {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DentfarmError('USAGE', `${shown}: cannot be read as JSON (${(error as Error).message.split('\n')[0]}); fix: render the dataset again, or wait until its render has finished`);
  }
}
