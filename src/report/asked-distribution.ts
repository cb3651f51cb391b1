/**
 * What a scene config asks for, as shares a dataset can be held against:
 * the share of the grid's jobs per value of each discrete axis (a palette
 * spreads its cell's share over its paints by weight), the damage the
 * dataset's own jobs requested, class by class, and the view ranges.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog, selectModels } from '../car/model-catalog';
import { loadConfig } from '../config/load-config';
import type { Range } from '../config/scene-config';
import { expandGrid, PALETTE_CELL } from '../grid/expand-grid';
import type { DatasetImage } from './read-dataset';

/** The facets of an image that a config asks a distribution of. */
export type AskedFacet = 'model' | 'colour' | 'lighting' | 'background' | 'view';

/** A view of the config: where its cameras are asked to stand. */
export interface AskedView {
  name: string;
  /** Degrees, 0 front, 90 the car's left; a range may wrap across 0 (`[350, 10]`). */
  azimuthDeg: Range;
  /** Degrees above the ground; null where the view gives a camera height instead. */
  elevationDeg: Range | null;
}

export interface AskedDistribution {
  /** Absolute path of the config read. */
  configFile: string;
  /** Whether the config's bytes hash to the dataset's `info.config_sha256`. */
  matchesDataset: boolean;
  /** Per facet, the share (0 to 1) of jobs asked for each value; a facet's shares add up to 1. */
  shares: Record<AskedFacet, Map<string, number>>;
  /**
   * Damages requested per class name by the grid jobs of the dataset's
   * images (found by image id, kept only where the job key matches); null
   * where the config is not the one rendered.
   */
  damageRequested: Map<string, number> | null;
  /** Images whose job was found in the grid under the same key. */
  matchedImages: number;
  views: AskedView[];
}

/** Colour name of jobs whose model keeps its own paint. */
export const OWN_PAINT = 'own-paint';

/**
 * Expands `configFile`'s grid and counts what it asks for.
 *
 * @param packageRoot - dentfarm's folder, whose `car-models/` is the default model folder.
 * @param images - The dataset's images, to find the jobs they came from.
 * @param configSha256 - The dataset's `info.config_sha256`, if it has one.
 */
export function readAskedDistribution(
  configFile: string,
  packageRoot: string,
  images: readonly DatasetImage[],
  configSha256: unknown,
): AskedDistribution {
  const config = loadConfig(configFile, [join(packageRoot, 'car-models')]);
  const models = selectModels(loadCatalog(config.modelDirs), config.models, config.file);
  const matchesDataset = createHash('sha256').update(readFileSync(config.file)).digest('hex') === configSha256;

  const tallies: Record<AskedFacet, Map<string, number>> = {
    model: new Map(),
    colour: new Map(),
    lighting: new Map(),
    background: new Map(),
    view: new Map(),
  };
  const add = (facet: AskedFacet, value: string, weight = 1) => tallies[facet].set(value, (tallies[facet].get(value) ?? 0) + weight);
  const paletteTotal = (config.palette ?? []).reduce((sum, p) => sum + p.weight, 0);
  const keyById = new Map(images.map((image) => [image.id, image.dentfarm?.key]));
  const requested = new Map<string, number>();
  let matchedImages = 0;
  let jobs = 0;

  for (const job of expandGrid(config, models)) {
    jobs++;
    add('model', job.model.id);
    add('lighting', job.lighting.name);
    add('background', job.background.name);
    add('view', job.view);
    if (job.key.split('/')[1] === PALETTE_CELL) {
      for (const paint of config.palette!) add('colour', paint.name, paint.weight / paletteTotal);
    } else {
      add('colour', job.paint?.name ?? OWN_PAINT);
    }
    if (matchesDataset && keyById.get(job.index + 1) === job.key) {
      matchedImages++;
      for (const damage of job.damage) requested.set(damage.type, (requested.get(damage.type) ?? 0) + 1);
    }
  }

  const shares = {} as Record<AskedFacet, Map<string, number>>;
  for (const [facet, tally] of Object.entries(tallies) as [AskedFacet, Map<string, number>][]) {
    shares[facet] = new Map([...tally].map(([value, n]) => [value, n / jobs]));
  }
  return {
    configFile: config.file,
    matchesDataset,
    shares,
    damageRequested: matchesDataset ? requested : null,
    matchedImages,
    views: config.views.map((v) => ({ name: v.name, azimuthDeg: v.azimuthDeg, elevationDeg: v.heightM === null ? v.elevationDeg : null })),
  };
}
