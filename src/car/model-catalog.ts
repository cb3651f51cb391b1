/**
 * The car catalogue: one JSON entry per car in a model folder (the
 * project's car-models/ by default). An entry is all it takes to add a
 * car: make, model, body style, the file (or a procedural body style),
 * its unit and forward axis, and its plate, paint and part rules.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { schemaError } from '../config/schema-error';
import { ConfigError, DentfarmError } from '../errors';
import type { AxisName, ModelRules, PartRule } from '../protocol';

export interface ModelEntry {
  id: string;
  /** Absolute path of the entry file. */
  entryFile: string;
  make: string;
  model: string;
  bodyStyle: string;
  /** Absolute path of the glTF/GLB file, or null for a procedural car. */
  file: string | null;
  procedural: 'sedan' | 'hatchback' | 'suv' | null;
  rules: ModelRules;
  licence: string;
  attribution: string;
}

const UNITS: Record<string, number> = { m: 1, cm: 0.01, mm: 0.001, in: 0.0254, ft: 0.3048 };

const ENTRY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'make', 'model', 'bodyStyle'],
  oneOf: [{ required: ['file'] }, { required: ['procedural'] }],
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string', description: 'A note for people; ignored' },
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    make: { type: 'string' },
    model: { type: 'string' },
    bodyStyle: { type: 'string' },
    file: { type: 'string', minLength: 1 },
    procedural: { enum: ['sedan', 'hatchback', 'suv'] },
    unit: {
      oneOf: [
        { enum: Object.keys(UNITS) },
        { type: 'number', exclusiveMinimum: 0 },
        { type: 'object', additionalProperties: false, required: ['lengthM'], properties: { lengthM: { type: 'number', exclusiveMinimum: 0 } } },
      ],
    },
    forward: { enum: ['+x', '-x', '+z', '-z'] },
    hide: { type: 'array', items: { type: 'string' } },
    plates: {
      type: 'object',
      additionalProperties: false,
      properties: {
        names: { type: 'array', items: { type: 'string' } },
        uvRegions: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['mesh', 'u', 'v'],
            properties: {
              mesh: { type: 'string' },
              u: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
              v: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
            },
          },
        },
      },
    },
    paintMaterials: { type: 'array', items: { type: 'string' } },
    damageMeshes: { type: 'array', items: { type: 'string' } },
    parts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['part', 'match'],
        properties: { part: { type: 'string' }, match: { type: 'string' } },
      },
    },
    licence: { type: 'string' },
    attribution: { type: 'string' },
    notes: { type: 'string' },
  },
} as const;

const validateEntry = new Ajv({ allErrors: true, strict: false }).compile<unknown>(ENTRY_SCHEMA);

/** Reads every entry in `dirs` (files ending in .json, one level of sub-folders). */
export function loadCatalog(dirs: readonly string[]): Map<string, ModelEntry> {
  const catalog = new Map<string, ModelEntry>();
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      throw new DentfarmError('MODEL_NOT_FOUND', `model folder ${dir} does not exist; fix: create it or correct "modelDirs"`);
    }
    for (const file of entryFiles(dir)) {
      const entry = readEntry(file);
      const previous = catalog.get(entry.id);
      if (previous) {
        throw new ConfigError(file, '/id', `an id not used by ${previous.entryFile}`, JSON.stringify(entry.id), 'rename one of the two entries');
      }
      catalog.set(entry.id, entry);
    }
  }
  return catalog;
}

function entryFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const inner of readdirSync(path).sort()) {
        if (inner.endsWith('.json')) files.push(join(path, inner));
      }
    } else if (name.endsWith('.json')) {
      files.push(path);
    }
  }
  return files;
}

export function readEntry(path: string): ModelEntry {
  let raw: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, '', 'a JSON model entry', (error as Error).message.split('\n')[0], 'fix the JSON syntax');
  }
  if (!validateEntry(raw as unknown)) throw schemaError(path, validateEntry.errors ?? [], raw, ENTRY_SCHEMA);
  const file = raw.file ? resolve(dirname(path), raw.file) : null;
  const unit = raw.unit ?? 'm';
  const rules: ModelRules = {
    metresPerUnit: typeof unit === 'string' ? UNITS[unit] : typeof unit === 'number' ? unit : undefined,
    lengthM: typeof unit === 'object' ? unit.lengthM : undefined,
    forward: (raw.forward ?? '+z') as AxisName,
    hide: raw.hide ?? [],
    plates: { names: raw.plates?.names ?? [], uvRegions: raw.plates?.uvRegions ?? [] },
    paintMaterials: raw.paintMaterials ?? [],
    damageMeshes: raw.damageMeshes ?? [],
    parts: (raw.parts ?? []) as PartRule[],
  };
  return {
    id: raw.id,
    entryFile: path,
    make: raw.make,
    model: raw.model,
    bodyStyle: raw.bodyStyle,
    file,
    procedural: raw.procedural ?? null,
    rules,
    licence: raw.licence ?? 'unknown',
    attribution: raw.attribution ?? '',
  };
}

/** The entries a config names, in its order, with a clear error for unknown ids. */
export function selectModels(catalog: Map<string, ModelEntry>, ids: readonly string[], configFile: string): ModelEntry[] {
  return ids.map((id, i) => {
    const entry = catalog.get(id);
    if (!entry) {
      const known = [...catalog.keys()].slice(0, 12).join(', ');
      throw new ConfigError(configFile, `/models/${i}`, `the id of a model entry (${known})`, JSON.stringify(id), 'add an entry to car-models/ or use a listed id');
    }
    // A missing model file fails that model's jobs when the run starts (see checkModelFile), not the whole config.
    return entry;
  });
}
