/**
 * `dentfarm validate DIR`: checks a written dataset the way a training job
 * would meet it (ids, references, sizes, every mask against its area and
 * box, images present with their listed size, categories) and, where
 * undamaged twins exist, measures how well labels match the pixels that
 * the damage changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeRle, type RleInput } from '../annotation/rle';
import { maskArea, maskBbox, type InstanceMask } from '../annotation/mask';
import { rasterizePolygons } from '../annotation/polygon';
import { changedPixels, VISIBLE_CHANGE_LEVELS } from '../annotation/changed-pixels';

export interface CategoryFidelity {
  category: string;
  instances: number;
  /** Labels written as ignore regions (too small or too faint): not in the recalls. */
  ignoreRegions: number;
  /** Changed pixels inside this category's labels over changed pixels attributed to it. */
  pixelPrecision: number;
  /** Labelled pixels that changed over labelled pixels (ignore regions left out). */
  pixelRecall: number;
  /** Instances that changed over at least half their area, over instances. */
  instanceRecall: number;
}

export interface ValidationReport {
  images: number;
  annotations: number;
  faults: string[];
  pairs: number;
  fidelity: CategoryFidelity[];
  /** Changed pixels in images without any label. */
  unattributedChanges: number;
}

interface Label {
  category: string;
  mask: InstanceMask;
  /** An ignore region (iscrowd 1): its pixels are the label's, but it is no instance to find. */
  ignore: boolean;
}

interface Counts {
  instances: number;
  ignoreRegions: number;
  changedInstances: number;
  labelled: number;
  labelledChanged: number;
  changedInside: number;
  changedOutside: number;
}

export async function validateDataset(dir: string, threshold = VISIBLE_CHANGE_LEVELS): Promise<ValidationReport> {
  const faults: string[] = [];
  const file = join(dir, 'annotations.json');
  let coco: any;
  try {
    coco = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { images: 0, annotations: 0, faults: [`${file}: cannot read: ${(error as Error).message}`], pairs: 0, fidelity: [], unattributedChanges: 0 };
  }
  for (const key of ['images', 'annotations', 'categories']) {
    if (!Array.isArray(coco[key])) faults.push(`${file}: "${key}" is not a list`);
  }
  if (faults.length) return { images: 0, annotations: 0, faults, pairs: 0, fidelity: [], unattributedChanges: 0 };

  const categories = new Map<number, string>();
  for (const c of coco.categories) {
    if (categories.has(c.id)) faults.push(`category id ${c.id} is used twice`);
    categories.set(c.id, c.name);
  }
  const images = new Map<number, any>();
  for (const image of coco.images) {
    if (!Number.isInteger(image.id) || image.id < 1) faults.push(`image ${JSON.stringify(image.id)}: id is not a positive integer`);
    if (images.has(image.id)) faults.push(`image ${image.id}: id is used twice`);
    images.set(image.id, image);
    await checkImageFile(dir, image, image.file_name, faults);
    if (image.dentfarm?.twin_file_name) await checkImageFile(dir, image, image.dentfarm.twin_file_name, faults);
  }

  const byImage = new Map<number, Label[]>();
  const seen = new Set<number>();
  for (const a of coco.annotations) {
    const where = `annotation ${a.id}`;
    if (seen.has(a.id)) faults.push(`${where}: id is used twice`);
    seen.add(a.id);
    const image = images.get(a.image_id);
    if (!image) {
      faults.push(`${where}: image_id ${a.image_id} is not an image`);
      continue;
    }
    if (!categories.has(a.category_id)) faults.push(`${where}: category_id ${a.category_id} is not a category`);
    if (a.iscrowd !== 0 && a.iscrowd !== 1) faults.push(`${where}: iscrowd is ${JSON.stringify(a.iscrowd)}, not 0 or 1`);
    const mask = maskOf(a, image, where, faults);
    if (!mask) continue;
    const area = maskArea(mask);
    if (area !== a.area) faults.push(`${where}: area ${a.area} but the mask has ${area} pixels`);
    const box = maskBbox(mask);
    if (JSON.stringify(box) !== JSON.stringify(a.bbox)) faults.push(`${where}: bbox ${JSON.stringify(a.bbox)} but the mask spans ${JSON.stringify(box)}`);
    if (area === 0) faults.push(`${where}: empty mask`);
    const list = byImage.get(a.image_id) ?? [];
    list.push({ category: categories.get(a.category_id) ?? String(a.category_id), mask, ignore: a.iscrowd === 1 });
    byImage.set(a.image_id, list);
  }

  const counts = new Map<string, Counts>();
  let pairs = 0;
  let unattributed = 0;
  for (const image of images.values()) {
    const twin = image.dentfarm?.twin_file_name;
    if (!twin || !existsSync(join(dir, twin)) || !existsSync(join(dir, image.file_name))) continue;
    pairs++;
    unattributed += await measurePair(dir, image, byImage.get(image.id) ?? [], threshold, counts);
  }
  const fidelity = [...counts.entries()].map(([category, c]) => ({
    category,
    instances: c.instances,
    ignoreRegions: c.ignoreRegions,
    pixelPrecision: ratio(c.changedInside, c.changedInside + c.changedOutside),
    pixelRecall: ratio(c.labelledChanged, c.labelled),
    instanceRecall: ratio(c.changedInstances, c.instances),
  }));
  return { images: images.size, annotations: coco.annotations.length, faults, pairs, fidelity, unattributedChanges: unattributed };
}

async function checkImageFile(dir: string, image: any, name: string, faults: string[]): Promise<void> {
  const path = join(dir, name ?? '');
  if (!name || !existsSync(path)) {
    faults.push(`image ${image.id}: ${name} is missing`);
    return;
  }
  const meta = await sharp(path).metadata().catch(() => null);
  if (!meta) faults.push(`image ${image.id}: ${name} cannot be decoded`);
  else if (meta.width !== image.width || meta.height !== image.height) {
    faults.push(`image ${image.id}: ${name} is ${meta.width}x${meta.height}, listed as ${image.width}x${image.height}`);
  }
}

function maskOf(a: any, image: any, where: string, faults: string[]): InstanceMask | null {
  const s = a.segmentation;
  try {
    if (Array.isArray(s)) {
      for (const polygon of s) {
        if (!Array.isArray(polygon) || polygon.length < 6 || polygon.length % 2) {
          faults.push(`${where}: a polygon has ${polygon?.length} numbers; COCO needs at least 3 points`);
          return null;
        }
      }
      return rasterizePolygons(s, image.width, image.height);
    }
    if (!s || s.size?.[0] !== image.height || s.size?.[1] !== image.width) {
      faults.push(`${where}: RLE size ${JSON.stringify(s?.size)} is not [${image.height}, ${image.width}]`);
      return null;
    }
    return decodeRle(s as RleInput);
  } catch (error) {
    faults.push(`${where}: segmentation does not decode: ${(error as Error).message}`);
    return null;
  }
}

/** Adds one image pair to `counts`; returns changed pixels it could not attribute. */
async function measurePair(
  dir: string,
  image: any,
  labels: Label[],
  threshold: number,
  counts: Map<string, Counts>,
): Promise<number> {
  const { width: w, height: h } = image;
  const [after, before] = await Promise.all(
    [image.file_name, image.dentfarm.twin_file_name].map((f: string) => sharp(join(dir, f)).removeAlpha().raw().toBuffer()),
  );
  const changed = changedPixels(after, before, 3, threshold);
  const owner = new Int32Array(w * h).fill(-1);
  labels.forEach((l, i) => {
    for (let p = 0; p < w * h; p++) if (l.mask.data[p]) owner[p] = i;
  });
  const boxes = labels.map((l) => maskBbox(l.mask));
  const get = (category: string) => {
    let c = counts.get(category);
    if (!c) counts.set(category, (c = { instances: 0, ignoreRegions: 0, changedInstances: 0, labelled: 0, labelledChanged: 0, changedInside: 0, changedOutside: 0 }));
    return c;
  };
  labels.forEach((l) => {
    const c = get(l.category);
    if (l.ignore) {
      c.ignoreRegions++;
      return;
    }
    let area = 0;
    let moved = 0;
    for (let p = 0; p < w * h; p++) {
      if (!l.mask.data[p]) continue;
      area++;
      if (changed[p]) moved++;
    }
    c.instances++;
    c.labelled += area;
    c.labelledChanged += moved;
    if (moved * 2 >= area) c.changedInstances++;
  });
  let unattributed = 0;
  for (let p = 0; p < w * h; p++) {
    if (!changed[p]) continue;
    if (owner[p] >= 0) {
      get(labels[owner[p]].category).changedInside++;
      continue;
    }
    // A change outside every label counts against the nearest label.
    const nearest = nearestBox(boxes, p % w, Math.floor(p / w));
    if (nearest < 0) unattributed++;
    else get(labels[nearest].category).changedOutside++;
  }
  return unattributed;
}

function nearestBox(boxes: number[][], x: number, y: number): number {
  let best = -1;
  let bestDistance = Infinity;
  boxes.forEach(([bx, by, bw, bh], i) => {
    const dx = Math.max(bx - x, 0, x - (bx + bw - 1));
    const dy = Math.max(by - y, 0, y - (by + bh - 1));
    const d = dx * dx + dy * dy;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

/** The report as people read it: faults first, one per line, then the table. */
export function formatValidation(dir: string, report: ValidationReport): string {
  const lines = report.faults.map((f) => `fault: ${f}`);
  lines.push(`${dir}: ${report.images} images, ${report.annotations} annotations, ${report.faults.length} faults, ${report.pairs} twin pairs`);
  if (report.fidelity.length > 0) {
    lines.push('category        instances  ignored  pixel_precision  pixel_recall  instance_recall');
    for (const f of report.fidelity) {
      lines.push(
        `${f.category.padEnd(15)} ${String(f.instances).padStart(9)}  ${String(f.ignoreRegions).padStart(7)}  ${f.pixelPrecision.toFixed(3).padStart(15)}  ${f.pixelRecall.toFixed(3).padStart(12)}  ${f.instanceRecall.toFixed(3).padStart(15)}`,
      );
    }
    lines.push(`changed pixels in images without labels: ${report.unattributedChanges}`);
  }
  return `${lines.join('\n')}\n`;
}
