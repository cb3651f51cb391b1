/**
 * Expands a scene config into its job grid: the cartesian product of the
 * discrete axes (model, paint, lighting, background, view) times the
 * samples, in a fixed global order. Every continuous value is drawn from a
 * generator seeded by (run seed, job key), in named sub-streams, so adding
 * a draw to one concern never shifts another.
 */
import type { ModelEntry } from '../car/model-catalog';
import type { LampSpec, PaintChoice, Range, SceneConfig, WeightedPaint } from '../config/scene-config';
import type { DamageRequest, LampRequest } from '../protocol';
import type { Job } from './job';
import { deriveSeed, Random } from './random';
import { CLOSE_UP_DISTANCE_M } from '../config/defaults';
import { ConfigError } from '../errors';

/** The axes of a grid and their sizes, for `plan` and logs. */
export interface GridAxes {
  models: string[];
  paints: string[];
  lighting: string[];
  backgrounds: string[];
  views: string[];
  samples: number;
}

export function gridAxes(config: SceneConfig): GridAxes {
  return {
    models: config.models,
    paints: config.palette ? [`${PALETTE_CELL} (${config.palette.map((p) => `${p.name} ${p.weight}`).join(', ')})`] : config.paints.map((p) => p.name),
    lighting: config.lighting.map((l) => l.name),
    backgrounds: config.backgrounds.map((b) => b.name),
    views: config.views.map((v) => v.name),
    samples: config.samples,
  };
}

/** Number of jobs without building them. */
export function countJobs(config: SceneConfig, models: readonly ModelEntry[]): number {
  const scenes = config.lighting.reduce((n, l) => n + config.backgrounds.filter((b) => pairs(l, b)).length, 0);
  const rest = scenes * config.views.length * config.samples;
  return models.reduce((sum, m) => sum + paintsFor(m, config).length * rest, 0);
}

/** Whether a background is rendered under this lighting (a photo goes with the light it was taken in). */
function pairs(lighting: SceneConfig['lighting'][number], background: SceneConfig['backgrounds'][number]): boolean {
  return background.lighting === null || background.lighting.includes(lighting.name);
}

/** More jobs than this is taken for a mistake (the grid is held in memory to be spread and sharded). */
export const MAX_JOBS = 1_000_000;

/** Refuses a grid too large to be meant, naming its size and how it came about. */
export function checkGridSize(config: SceneConfig, models: readonly ModelEntry[]): number {
  const total = countJobs(config, models);
  if (total > MAX_JOBS) {
    const axes = gridAxes(config);
    throw new ConfigError(
      config.file,
      '/samples',
      `a grid of at most ${MAX_JOBS.toLocaleString('en')} jobs`,
      `${total.toLocaleString('en')} jobs (${models.length} models x ${axes.paints.length} paints x ${config.lighting.length} lightings x ${config.backgrounds.length} backgrounds x ${config.views.length} views x ${config.samples} samples)`,
      'lower samples or the values of an axis, or render it as several configs',
    );
  }
  return total;
}

/** Every job of the grid, in global order. */
export function* expandGrid(config: SceneConfig, models: readonly ModelEntry[]): Generator<Job> {
  let index = 0;
  for (const model of models) {
    for (const cell of paintsFor(model, config)) {
      for (const lighting of config.lighting) {
        for (const background of config.backgrounds) {
          if (!pairs(lighting, background)) continue;
          for (const view of config.views) {
            for (let sample = 0; sample < config.samples; sample++) {
              const key = [model.id, cell === PALETTE_CELL ? PALETTE_CELL : cell?.name ?? 'own-paint', lighting.name, background.name, view.name, sample].join('/');
              const seed = deriveSeed(config.seed, key);
              const random = new Random(seed);
              const paint = cell === PALETTE_CELL ? drawPaint(config.palette!, random.fork('paint')) : cell;
              yield {
                index: index++,
                key,
                seed,
                model,
                paint,
                lighting: drawLighting(lighting, random.fork('lighting')),
                background,
                view: view.name,
                sample,
                camera: matchBackplate(drawCamera(view, random.fork('camera')), background, random.fork('backplate')),
                damage: drawDamage(config, random.fork('damage')),
                augmentation: drawAugmentation(config.image, random.fork('image')),
              };
            }
          }
        }
      }
    }
  }
}

/** The grid cell of a palette: its jobs draw their paint by weight. */
export const PALETTE_CELL = 'palette';

/** A model without paint materials keeps its own colours: one paint cell. */
function paintsFor(model: ModelEntry, config: SceneConfig): (PaintChoice | typeof PALETTE_CELL | null)[] {
  if (model.rules.paintMaterials.length === 0) return [null];
  return config.palette ? [PALETTE_CELL] : config.paints;
}

/** One paint of the palette, with chances in proportion to the weights. */
function drawPaint(palette: readonly WeightedPaint[], random: Random): PaintChoice {
  const total = palette.reduce((sum, p) => sum + p.weight, 0);
  let r = random.next() * total;
  for (const { weight, ...paint } of palette) {
    r -= weight;
    if (r < 0) return paint;
  }
  const { weight: _, ...last } = palette[palette.length - 1];
  return last;
}

/** A fixed value, or a uniform draw from [min, max]. */
export function draw(range: Range, random: Random): number {
  return typeof range === 'number' ? range : random.uniform(range[0], range[1]);
}

/** Like `draw`, for an angle about the up axis: [350, 10] draws across 0. */
export function drawAngle(range: Range, random: Random): number {
  if (typeof range === 'number' || range[0] <= range[1]) return draw(range, random);
  return random.uniform(range[0], range[1] + 360) % 360;
}

function drawInt(range: Range, random: Random): number {
  return typeof range === 'number' ? Math.round(range) : random.int(Math.ceil(range[0]), Math.floor(range[1]));
}

function drawLighting(l: SceneConfig['lighting'][number], random: Random): Job['lighting'] {
  const environmentIntensity = draw(l.environmentIntensity, random);
  const environmentRotationDeg = drawAngle(l.environmentRotationDeg, random);
  const exposure = draw(l.exposure, random);
  const sun = l.sun
    ? {
        azimuthDeg: drawAngle(l.sun.azimuthDeg, random),
        elevationDeg: draw(l.sun.elevationDeg, random),
        intensity: draw(l.sun.intensity, random),
      }
    : null;
  const drawn = { name: l.name, environment: l.environment, environmentIntensity, environmentRotationDeg, exposure, sun };
  return l.lamps ? { ...drawn, lamps: drawLamps(l.lamps, random.fork('lamps')) } : drawn;
}

/**
 * Street lamps spread round the car: the first at a drawn azimuth, each
 * next one a third to two thirds of a turn further on, so two lamps never
 * stand together.
 */
function drawLamps(spec: LampSpec, random: Random): LampRequest[] {
  const count = drawInt(spec.count, random);
  const lamps: LampRequest[] = [];
  let azimuth = random.uniform(0, 360);
  for (let i = 0; i < count; i++) {
    if (i > 0) azimuth = (azimuth + random.uniform(120, 240)) % 360;
    lamps.push({
      azimuthDeg: azimuth,
      distanceM: draw(spec.distanceM, random),
      heightM: draw(spec.heightM, random),
      intensity: draw(spec.intensity, random),
      kelvin: draw(spec.kelvin, random),
    });
  }
  return lamps;
}

function drawCamera(v: SceneConfig['views'][number], random: Random): Job['camera'] {
  return {
    azimuthDeg: drawAngle(v.azimuthDeg, random),
    elevationDeg: draw(v.elevationDeg, random),
    distanceM: v.frame === 'car' && v.distanceM !== null ? draw(v.distanceM, random) : null,
    closeUpM: v.frame === 'damage' ? draw(v.distanceM ?? CLOSE_UP_DISTANCE_M, random) : null,
    fill: draw(v.fill, random),
    focalLengthMm: draw(v.focalLengthMm, random),
    targetHeightM: v.targetHeightM === null ? null : draw(v.targetHeightM, random),
    rollDeg: draw(v.rollDeg, random),
    heightM: v.heightM === null ? null : draw(v.heightM, random),
    horizon: null,
  };
}

/** A backplate taken with a known camera: the job's camera takes its height, focal length and horizon. */
function matchBackplate(camera: Job['camera'], background: SceneConfig['backgrounds'][number], random: Random): Job['camera'] {
  if (background.type !== 'image' || !background.camera) return camera;
  const photo = background.camera;
  return {
    ...camera,
    horizon: photo.horizon,
    // Eye height when neither the photo nor the view says.
    heightM: photo.heightM === null ? camera.heightM ?? 1.6 : draw(photo.heightM, random),
    focalLengthMm: photo.focalLengthMm ?? camera.focalLengthMm,
    rollDeg: 0,
  };
}

function drawAugmentation(image: SceneConfig['image'], random: Random): Job['augmentation'] {
  const round = (v: number) => Number(v.toFixed(3));
  return { blur: round(draw(image.blur, random)), noise: round(draw(image.noise, random)), quality: Math.round(draw(image.quality, random)) };
}

const SCRATCH_LAYERS = ['clear_coat', 'primer', 'bare_metal'] as const;

function drawDamage(config: SceneConfig, random: Random): DamageRequest[] {
  const damage: DamageRequest[] = [];
  const { dent, scratch } = config.damage;
  if (dent) {
    const r = random.fork('dent');
    for (let i = drawInt(dent.count, r); i > 0; i--) {
      const radiusM = draw(dent.radiusCm, r) / 100;
      const depthM = draw(dent.depthMm, r) / 1000;
      const elongation = r.next() < dent.crease ? draw(dent.creaseLength, r) : 1;
      damage.push({ type: 'dent', radiusM, depthM, elongation });
    }
  }
  const { crack, glass_shatter: glass, lamp_broken: lamp } = config.damage;
  if (crack) {
    const r = random.fork('crack');
    for (let i = drawInt(crack.count, r); i > 0; i--) {
      damage.push({ type: 'crack', lengthM: draw(crack.lengthCm, r) / 100, widthM: draw(crack.widthMm, r) / 1000, branches: drawInt(crack.branches, r) });
    }
  }
  for (const [type, spec] of [['glass_shatter', glass], ['lamp_broken', lamp]] as const) {
    if (!spec) continue;
    const r = random.fork(type);
    for (let i = drawInt(spec.count, r); i > 0; i--) damage.push({ type, radiusM: draw(spec.radiusCm, r) / 100 });
  }
  const flat = config.damage.tire_flat;
  if (flat) {
    const r = random.fork('tire_flat');
    for (let i = drawInt(flat.count, r); i > 0; i--) damage.push({ type: 'tire_flat', deflation: draw(flat.deflation, r) });
  }
  if (scratch) {
    const r = random.fork('scratch');
    for (let i = drawInt(scratch.count, r); i > 0; i--) {
      damage.push({
        type: 'scratch',
        lengthM: draw(scratch.lengthCm, r) / 100,
        widthM: draw(scratch.widthMm, r) / 1000,
        curvature: draw(scratch.curvature, r),
        layer: SCRATCH_LAYERS[r.weightedIndex(SCRATCH_LAYERS.map((l) => scratch.layers[l]))],
      });
    }
  }
  return damage;
}
