/**
 * Reads a scene config (JSON or YAML), checks it against the schema and
 * the facts the schema cannot see (colours, files), and returns it with
 * every default filled in. Every problem is a `ConfigError` that names the
 * file, the field, what was expected, what was found and the fix.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ConfigError, DentfarmError } from '../errors';
import { parseColor } from './colors';
import { jsonErrorPosition } from './json-error-position';
import { DEFAULTS } from './defaults';
import { SCENE_CONFIG_SCHEMA } from './schema';
import { schemaError } from './schema-error';
import type { BackgroundChoice, LightingChoice, PaintChoice, Range, SceneConfig, ViewChoice, WeightedPaint } from './scene-config';
import { MARKET_PALETTE } from './market-palette';
import type { PaintFinish } from '../protocol';

/** Damage classes in the order of their COCO category ids. */
export const DAMAGE_CLASSES = ['dent', 'scratch', 'crack', 'glass_shatter', 'lamp_broken', 'tire_flat'] as const;

/** Built-in environments the farm generates itself. */
export const BUILTIN_ENVIRONMENTS = ['sky:clear', 'sky:overcast', 'sky:night', 'studio'];

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(SCENE_CONFIG_SCHEMA);

export function loadConfig(file: string, defaultModelDirs: string[]): SceneConfig {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DentfarmError(
      'CONFIG_UNREADABLE',
      `${path}: cannot read the config (${(error as NodeJS.ErrnoException).code ?? 'error'}); fix: check the path`,
    );
  }
  return parseConfig(path, bytes, defaultModelDirs);
}

export function parseConfig(path: string, bytes: Uint8Array, defaultModelDirs: string[]): SceneConfig {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(path, '', 'UTF-8 text', 'bytes that are not valid UTF-8', 'save the file as UTF-8');
  }
  const raw = parseText(path, text);
  if (!validate(raw)) throw schemaError(path, validate.errors ?? [], raw, SCENE_CONFIG_SCHEMA);
  return resolveConfig(path, raw as RawConfig, defaultModelDirs);
}

function parseText(path: string, text: string): unknown {
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    const message = yaml ? first : withLineAndColumn(first, text);
    throw new ConfigError(
      path,
      '',
      yaml ? 'valid YAML' : 'valid JSON',
      message,
      yaml ? 'fix the YAML syntax at the place named' : 'fix the JSON syntax at the position named',
    );
  }
}

/** JSON.parse does not always say where; people look for a line and column. */
function withLineAndColumn(message: string, text: string): string {
  const at = jsonErrorPosition(text);
  return at ? `${message} (line ${at.line}, column ${at.column})` : message;
}

// The validated, not yet defaulted shape.
interface RawConfig {
  name?: string;
  seed?: number;
  modelDirs?: string[];
  models: string[];
  paints?: (string | { name?: string; color: string; finish?: PaintFinish })[];
  palette?: { name?: string; color: string; finish?: PaintFinish; weight: number }[];
  damage?: Partial<Record<(typeof DAMAGE_CLASSES)[number], Partial<Record<string, Range>>>>;
  lighting?: Record<string, any>[];
  backgrounds?: Record<string, any>[];
  views?: Record<string, any>[];
  image?: Partial<SceneConfig['image']>;
  samples?: number;
  placement?: SceneConfig['placement'];
  annotations?: Partial<SceneConfig['annotations']>;
}

function resolveConfig(path: string, raw: RawConfig, defaultModelDirs: string[]): SceneConfig {
  const here = dirname(path);
  const fileAt = (pointer: string, value: string, what: string) => {
    const absolute = resolve(here, value);
    if (!existsSync(absolute)) {
      throw new ConfigError(path, pointer, `an existing ${what} file`, JSON.stringify(value), `give a path relative to ${here}`);
    }
    return absolute;
  };

  if (raw.paints && raw.palette) {
    throw new ConfigError(path, '/palette', 'either "paints" (a grid axis) or "palette" (drawn per job by weight)', 'both', 'remove one of them');
  }
  const paintOf = (pointer: string, p: string | { name?: string; color: string; finish?: PaintFinish }): PaintChoice => {
    const spec = typeof p === 'string' ? { color: p } : p;
    const color = parseColor(spec.color);
    if (!color) {
      throw new ConfigError(path, `${pointer}${typeof p === 'string' ? '' : '/color'}`, 'a colour name or sRGB hex like "#1d3a6e"', JSON.stringify(spec.color), 'use "#rrggbb" or a name such as white, black, silver, blue, red');
    }
    const name = spec.name ?? (spec.color.startsWith('#') ? color.hex.slice(1) : spec.color.toLowerCase());
    return { name, hex: color.hex, linear: color.linear, finish: spec.finish ?? DEFAULTS.finish };
  };
  const paints: PaintChoice[] = (raw.paints ?? []).map((p, i) => paintOf(`/paints/${i}`, p));
  uniqueNames(path, '/paints', paints);
  const palette: WeightedPaint[] | null = raw.paints
    ? null
    : (raw.palette ?? MARKET_PALETTE).map((p, i) => ({ ...paintOf(`/palette/${i}`, p), weight: p.weight }));
  if (palette) uniqueNames(path, '/palette', palette);

  const lighting: LightingChoice[] = (raw.lighting ?? [{}]).map((l, i) => {
    const env = l.environment ?? DEFAULTS.lighting.environment;
    if (!BUILTIN_ENVIRONMENTS.includes(env) && !/\.(env|hdr)$/i.test(env)) {
      throw new ConfigError(path, `/lighting/${i}/environment`, `${BUILTIN_ENVIRONMENTS.join(', ')} or a .env/.hdr file`, JSON.stringify(env), 'name a built-in sky or an environment map file');
    }
    const environment = BUILTIN_ENVIRONMENTS.includes(env) ? env : fileAt(`/lighting/${i}/environment`, env, 'environment (.env or .hdr)');
    const d = DEFAULTS.lighting;
    const sun = l.sun === null ? null : { ...d.sun, ...(l.sun ?? {}) };
    // Lamps only where asked for: a day sky has none.
    const lamps = l.lamps ? { ...d.lamps, ...l.lamps } : null;
    return {
      name: l.name ?? (BUILTIN_ENVIRONMENTS.includes(env) ? env.replace(':', '-') : `light${i}`),
      environment,
      environmentIntensity: l.environmentIntensity ?? d.environmentIntensity,
      environmentRotationDeg: l.environmentRotationDeg ?? d.environmentRotationDeg,
      exposure: l.exposure ?? d.exposure,
      sun,
      lamps,
    };
  });
  uniqueNames(path, '/lighting', lighting);

  const pairing = (i: number, names: string[] | undefined): string[] | null => {
    if (!names) return null;
    names.forEach((n, j) => {
      if (!lighting.some((l) => l.name === n)) {
        throw new ConfigError(path, `/backgrounds/${i}/lighting/${j}`, `the name of a lighting (${lighting.map((l) => l.name).join(', ')})`, JSON.stringify(n), 'name one of the lighting entries, or drop "lighting" to pair with all');
      }
    });
    return names;
  };
  const backgrounds: BackgroundChoice[] = (raw.backgrounds ?? [{ ...DEFAULTS.background }]).map((b, i) => {
    // A photo has its own ground: by default only the car's shadow goes on it.
    const ground = b.ground ?? (b.type === 'image' ? 'shadow' : DEFAULTS.background.ground);
    if (ground === 'projected' && b.type !== 'environment') {
      throw new ConfigError(path, `/backgrounds/${i}/ground`, 'a ground for this background ("projected" needs type "environment")', '"projected"', 'use "shadow" to lay the car\'s shadows on the photo, or type "environment"');
    }
    if (b.type === 'color') {
      const color = parseColor(b.color);
      if (!color) throw new ConfigError(path, `/backgrounds/${i}/color`, 'a colour name or sRGB hex', JSON.stringify(b.color), 'use "#rrggbb"');
      return { type: 'color', name: b.name ?? `color-${color.hex.slice(1)}`, hex: color.hex, linear: color.linear, ground, lighting: pairing(i, b.lighting) };
    }
    if (b.type === 'image') {
      const camera = b.camera ? { horizon: b.camera.horizon, heightM: b.camera.heightM ?? null, focalLengthMm: b.camera.focalLengthMm ?? null, environmentRotationDeg: b.camera.environmentRotationDeg ?? null } : null;
      if (camera?.heightM) checkRanges(path, `/backgrounds/${i}/camera`, { heightM: camera.heightM });
      return { type: 'image', name: b.name ?? `image${i}`, file: fileAt(`/backgrounds/${i}/file`, b.file, 'background image'), ground, lighting: pairing(i, b.lighting), camera };
    }
    return { type: 'environment', name: b.name ?? 'environment', ground, lighting: pairing(i, b.lighting) };
  });
  uniqueNames(path, '/backgrounds', backgrounds);

  const views: ViewChoice[] = (raw.views ?? [{}]).map((v, i) => ({
    ...DEFAULTS.view,
    name: v.name ?? `view${i}`,
    ...v,
  })) as ViewChoice[];
  uniqueNames(path, '/views', views);
  views.forEach((v, i) => checkRanges(path, `/views/${i}`, v as unknown as Record<string, unknown>));

  // Without a "damage" key every class is on with its defaults; with one,
  // only the classes it names are.
  const damage = Object.fromEntries(
    DAMAGE_CLASSES.map((name) => {
      const given = raw.damage?.[name];
      if (raw.damage && !given) return [name, null];
      const spec: Record<string, unknown> = { ...DEFAULTS[name], ...(given ?? {}) };
      if (name === 'scratch' && given?.layers) spec.layers = { clear_coat: 0, primer: 0, bare_metal: 0, ...(given.layers as object) };
      checkRanges(path, `/damage/${name}`, spec as Record<string, unknown>);
      return [name, spec];
    }),
  ) as unknown as SceneConfig['damage'];

  return {
    file: path,
    name: raw.name ?? DEFAULTS.name,
    seed: raw.seed ?? DEFAULTS.seed,
    modelDirs: raw.modelDirs ? raw.modelDirs.map((d) => resolve(here, d)) : defaultModelDirs,
    models: raw.models,
    paints,
    palette,
    damage,
    lighting,
    backgrounds,
    views,
    image: { ...DEFAULTS.image, ...(raw.image ?? {}) },
    samples: raw.samples ?? DEFAULTS.samples,
    placement: raw.placement ?? DEFAULTS.placement,
    annotations: { ...DEFAULTS.annotations, ...(raw.annotations ?? {}) },
  };
}

function uniqueNames(path: string, pointer: string, items: { name: string }[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.name);
    if (first !== undefined) {
      throw new ConfigError(path, `${pointer}/${i}/name`, `a name not used by ${pointer}/${first}`, JSON.stringify(item.name), 'give each entry its own "name"');
    }
    seen.set(item.name, i);
  });
}

/** Angles about the up axis may wrap: [350, 10] is the 20 degrees across 0. */
export const WRAPPING_KEYS = new Set(['azimuthDeg', 'environmentRotationDeg']);

function checkRanges(path: string, pointer: string, spec: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(spec)) {
    if (WRAPPING_KEYS.has(key)) continue;
    if (Array.isArray(value) && value.length === 2 && value[0] > value[1]) {
      throw new ConfigError(path, `${pointer}/${key}`, '[min, max] with min <= max', JSON.stringify(value), `write [${value[1]}, ${value[0]}]`);
    }
  }
}
