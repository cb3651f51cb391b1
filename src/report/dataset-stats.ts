/**
 * The numbers of the balance report, as plain data: images and instances
 * per value of each facet (model, colour, lighting, background, view,
 * split), per damage class and per part; instance sizes in COCO's buckets
 * and as a histogram; visible fractions; camera views. Where the config's
 * asked distribution is known, each value carries what was asked and
 * whether what the dataset got departs from it by more than chance.
 *
 * Counting rules: an instance is an annotation of a damage category with
 * `iscrowd` 0; ignore regions (`iscrowd` 1) are counted apart and enter no
 * other number; part masks (`render --parts`) are counted only per category.
 */
import { OWN_PAINT, type AskedDistribution, type AskedFacet, type AskedView } from './asked-distribution';
import { isPartCategory, type Dataset, type DatasetImage } from './read-dataset';

/** The facets an image is counted under. */
export type Facet = AskedFacet | 'split';

export const FACETS: readonly Facet[] = ['model', 'colour', 'lighting', 'background', 'view', 'split'];

/** COCO's size buckets, by mask area in pixels: small under 32², large from 96². */
export const SMALL_AREA = 32 * 32;
export const LARGE_AREA = 96 * 96;

/** What the config asked for one value, and whether the dataset departs from it. */
export interface AskedCount {
  /** Share of the whole asked for this value, 0 to 1. */
  share: number;
  /** `share` times the dataset's total: the count the asked share predicts. */
  expected: number;
  /** True when the count got is outside what chance allows (see {@link isGap}). */
  gap: boolean;
}

export interface FacetRow {
  value: string;
  images: number;
  instances: number;
  ignoreRegions: number;
  /** Against the share of images asked; absent without a config. */
  asked?: AskedCount;
}

export interface CategoryRow {
  id: number;
  name: string;
  /** Images with at least one instance of the category. */
  images: number;
  instances: number;
  ignoreRegions: number;
  /** Instances by COCO size bucket. */
  small: number;
  medium: number;
  large: number;
  /** Damages of this class the dataset's jobs requested; absent without the rendered config. */
  requested?: number;
  /** Against the class's share of the requested damage; absent without the rendered config. */
  asked?: AskedCount;
}

export interface PartRow {
  part: string;
  images: number;
  instances: number;
}

/** Counts per bin and damage class; bin i spans `[edges[i], edges[i + 1])`, the last bin closed. */
export interface Histogram {
  edges: number[];
  counts: Record<string, number[]>;
}

export interface ViewPoint {
  imageId: number;
  view: string;
  /** Degrees, 0 front, 90 the car's left. */
  azimuthDeg: number;
  /** Degrees above the ground. */
  elevationDeg: number;
}

export interface DatasetStats {
  images: number;
  instances: number;
  ignoreRegions: number;
  /** Images with no instance (ignore regions do not count). */
  imagesWithoutDamage: number;
  facets: Record<Facet, FacetRow[]>;
  /** Damage categories, in id order. */
  categories: CategoryRow[];
  /** Part masks per part category (with `render --parts`), in id order; empty without them. */
  partMasks: { id: number; name: string; images: number; instances: number }[];
  /** Damage instances per `attributes.part`, most first. */
  parts: PartRow[];
  /** Instance areas in pixels, bins doubling from the power of two at or below the smallest. */
  area: Histogram;
  /** `attributes.visible_fraction` in ten bins of 0.1; instances without it left out. */
  visibleFraction: Histogram;
  views: ViewPoint[];
  /** Where the asked distribution came from; null without a config. */
  asked: { configFile: string; matchesDataset: boolean; matchedImages: number; views: AskedView[] } | null;
  /** One line per value whose count departs from what was asked. */
  gaps: string[];
}

/** The value of a facet for an image; `split` needs the dataset's split map. */
export function facetValue(image: DatasetImage, facet: Facet, splits: Map<number, string>): string {
  const d = image.dentfarm ?? {};
  switch (facet) {
    case 'model':
      return d.model?.id ?? 'unknown';
    case 'colour':
      return d.paint?.name ?? OWN_PAINT;
    case 'lighting':
      return d.lighting ?? 'unknown';
    case 'background':
      return d.background ?? 'unknown';
    case 'view':
      return d.view ?? 'unknown';
    case 'split':
      return splits.get(image.id) ?? 'none';
  }
}

/**
 * Whether `count` of `n` is too far from a share `share` to be chance: the
 * two-sided binomial p-value (the outcomes no likelier than `count`) is
 * under 1%. A share of 0 or 1 admits only 0 or `n`. Exact up to n = 2000,
 * the normal approximation with continuity correction above.
 */
export function isGap(count: number, n: number, share: number): boolean {
  if (n === 0) return false;
  if (share <= 0) return count > 0;
  if (share >= 1) return count < n;
  if (n > 2000) {
    const sd = Math.sqrt(n * share * (1 - share));
    return Math.abs(count - n * share) - 0.5 > 2.5758 * sd;
  }
  const logFactorial = [0];
  for (let i = 1; i <= n; i++) logFactorial.push(logFactorial[i - 1] + Math.log(i));
  const logPmf = (k: number) => logFactorial[n] - logFactorial[k] - logFactorial[n - k] + k * Math.log(share) + (n - k) * Math.log(1 - share);
  const observed = logPmf(count);
  let p = 0;
  for (let k = 0; k <= n; k++) {
    const l = logPmf(k);
    // The small tolerance keeps outcomes exactly as likely as the observed one in the tail.
    if (l <= observed + 1e-9) p += Math.exp(l);
  }
  return p < 0.01;
}

/** Computes every number of the report from the dataset as written and, optionally, what was asked. */
export function computeDatasetStats(dataset: Dataset, asked: AskedDistribution | null = null): DatasetStats {
  const damageIds = new Set(dataset.categories.filter((c) => !isPartCategory(c)).map((c) => c.id));
  const names = new Map(dataset.categories.map((c) => [c.id, c.name]));
  const imagesById = new Map(dataset.images.map((image) => [image.id, image]));
  const damageCategories = dataset.categories.filter((c) => damageIds.has(c.id)).sort((a, b) => a.id - b.id);

  const categories = new Map<number, CategoryRow & { imageIds: Set<number> }>(
    damageCategories.map((c) => [c.id, { id: c.id, name: c.name, images: 0, instances: 0, ignoreRegions: 0, small: 0, medium: 0, large: 0, imageIds: new Set() }]),
  );
  const partMasks = new Map<number, { id: number; name: string; imageIds: Set<number>; instances: number }>();
  const parts = new Map<string, { instances: number; imageIds: Set<number> }>();
  const perImage = new Map<number, { instances: number; ignoreRegions: number }>(dataset.images.map((image) => [image.id, { instances: 0, ignoreRegions: 0 }]));
  const areaValues: [string, number][] = [];
  const visible: [string, number][] = [];
  let instances = 0;
  let ignoreRegions = 0;

  for (const a of dataset.annotations) {
    const tally = perImage.get(a.image_id);
    if (!tally) continue;
    if (!damageIds.has(a.category_id)) {
      const row = partMasks.get(a.category_id) ?? { id: a.category_id, name: names.get(a.category_id) ?? String(a.category_id), imageIds: new Set(), instances: 0 };
      row.instances++;
      row.imageIds.add(a.image_id);
      partMasks.set(a.category_id, row);
      continue;
    }
    const category = categories.get(a.category_id)!;
    if (a.iscrowd === 1) {
      category.ignoreRegions++;
      tally.ignoreRegions++;
      ignoreRegions++;
      continue;
    }
    instances++;
    tally.instances++;
    category.instances++;
    category.imageIds.add(a.image_id);
    if (a.area < SMALL_AREA) category.small++;
    else if (a.area < LARGE_AREA) category.medium++;
    else category.large++;
    areaValues.push([category.name, a.area]);
    const fraction = a.attributes?.visible_fraction;
    if (typeof fraction === 'number') visible.push([category.name, fraction]);
    const part = typeof a.attributes?.part === 'string' ? a.attributes.part : 'unknown';
    const partRow = parts.get(part) ?? { instances: 0, imageIds: new Set() };
    partRow.instances++;
    partRow.imageIds.add(a.image_id);
    parts.set(part, partRow);
  }

  const gaps: string[] = [];
  const n = dataset.images.length;
  const facets = {} as Record<Facet, FacetRow[]>;
  for (const facet of FACETS) {
    const rows = new Map<string, FacetRow>();
    const shares = facet === 'split' ? undefined : asked?.shares[facet];
    for (const value of shares?.keys() ?? []) rows.set(value, { value, images: 0, instances: 0, ignoreRegions: 0 });
    for (const image of dataset.images) {
      const value = facetValue(image, facet, dataset.splits);
      const row = rows.get(value) ?? { value, images: 0, instances: 0, ignoreRegions: 0 };
      const tally = perImage.get(image.id)!;
      row.images++;
      row.instances += tally.instances;
      row.ignoreRegions += tally.ignoreRegions;
      rows.set(value, row);
    }
    if (shares) {
      for (const row of rows.values()) {
        row.asked = askedCount(row.images, n, shares.get(row.value) ?? 0);
        if (row.asked.gap) gaps.push(`${facet} ${row.value}: ${row.images} images, asked ${formatExpected(row.asked)}`);
      }
    }
    facets[facet] = [...rows.values()];
  }
  if (facets.split.length === 1 && facets.split[0].value === 'none') facets.split = [];

  const requested = asked?.damageRequested;
  const totalRequested = requested ? [...requested.values()].reduce((s, v) => s + v, 0) : 0;
  const categoryRows: CategoryRow[] = [...categories.values()].map(({ imageIds, ...row }) => {
    const out: CategoryRow = { ...row, images: imageIds.size };
    if (requested) {
      out.requested = requested.get(row.name) ?? 0;
      out.asked = askedCount(row.instances, instances, totalRequested > 0 ? out.requested / totalRequested : 0);
      if (out.asked.gap) gaps.push(`category ${row.name}: ${row.instances} instances, asked ${formatExpected(out.asked)} (${out.requested} requested)`);
    }
    return out;
  });

  const views: ViewPoint[] = [];
  for (const image of dataset.images) {
    const camera = image.dentfarm?.camera;
    if (typeof camera?.azimuth_deg !== 'number' || typeof camera.elevation_deg !== 'number') continue;
    views.push({ imageId: image.id, view: image.dentfarm?.view ?? 'unknown', azimuthDeg: camera.azimuth_deg, elevationDeg: camera.elevation_deg });
  }
  const categoryNames = damageCategories.map((c) => c.name);

  return {
    images: n,
    instances,
    ignoreRegions,
    imagesWithoutDamage: [...perImage.values()].filter((t) => t.instances === 0).length,
    facets,
    categories: categoryRows,
    partMasks: [...partMasks.values()]
      .sort((a, b) => a.id - b.id)
      .map(({ imageIds, ...row }) => ({ ...row, images: imageIds.size })),
    parts: [...parts.entries()]
      .map(([part, row]) => ({ part, images: row.imageIds.size, instances: row.instances }))
      .sort((a, b) => b.instances - a.instances || a.part.localeCompare(b.part)),
    area: histogram(areaValues, doublingEdges(areaValues.map(([, v]) => v)), categoryNames),
    visibleFraction: histogram(visible, Array.from({ length: 11 }, (_, i) => i / 10), categoryNames),
    views: views.filter((v) => imagesById.has(v.imageId)),
    asked: asked && { configFile: asked.configFile, matchesDataset: asked.matchesDataset, matchedImages: asked.matchedImages, views: asked.views },
    gaps,
  };
}

function askedCount(count: number, n: number, share: number): AskedCount {
  return { share, expected: share * n, gap: isGap(count, n, share) };
}

function formatExpected(asked: AskedCount): string {
  return `${asked.expected.toFixed(1)} (${(asked.share * 100).toFixed(1)}%)`;
}

/** Powers of two from the one at or below the smallest value to the first above the largest. */
function doublingEdges(values: number[]): number[] {
  // A reduce, not a spread: a large dataset has more areas than a call takes arguments.
  const min = Math.max(1, values.reduce((m, v) => Math.min(m, v), SMALL_AREA));
  const max = values.reduce((m, v) => Math.max(m, v), 1);
  const edges = [2 ** Math.floor(Math.log2(min))];
  while (edges[edges.length - 1] <= max) edges.push(edges[edges.length - 1] * 2);
  return edges;
}

function histogram(values: [string, number][], edges: number[], names: string[]): Histogram {
  const counts: Record<string, number[]> = {};
  for (const name of names) counts[name] = new Array(edges.length - 1).fill(0);
  const last = edges.length - 2;
  for (const [name, v] of values) {
    let bin = edges.findIndex((edge, i) => i <= last && v >= edge && v < edges[i + 1]);
    if (bin < 0) bin = v >= edges[last + 1] ? last : 0;
    counts[name][bin]++;
  }
  return { edges, counts };
}
