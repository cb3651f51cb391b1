/**
 * Turns ajv's errors into one located `ConfigError`: the deepest problem,
 * with the JSON path, what the schema expects, what the file has, and a fix.
 */
import type { ErrorObject } from 'ajv';
import { ConfigError } from '../errors';

export function schemaError(path: string, errors: ErrorObject[], raw: unknown, schema: object): ConfigError {
  // The deepest error says the most; oneOf wrappers only repeat their branches.
  const useful = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const chosen = [...(useful.length ? useful : errors)].sort(
    (a, b) => depth(b) - depth(a) || rank(a) - rank(b),
  )[0];
  const pointer = chosen.instancePath;
  const found = describe(valueAt(raw, pointer));
  const more = errors.length - 1;
  const extra = more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''} in this file)` : '';
  const p = chosen.params as Record<string, unknown>;
  switch (chosen.keyword) {
    case 'additionalProperties':
      return new ConfigError(
        path,
        `${pointer}/${String(p.additionalProperty)}`,
        `one of the known keys ${knownKeys(schema, pointer)}`,
        `unknown key "${String(p.additionalProperty)}"`,
        `remove it or correct its spelling${extra}`,
      );
    case 'required':
      return new ConfigError(path, `${pointer}/${String(p.missingProperty)}`, 'a value', 'nothing', `add "${String(p.missingProperty)}"${alternatives(errors, pointer)}${extra}`);
    case 'enum':
      return new ConfigError(path, pointer, `one of ${JSON.stringify(p.allowedValues)}`, found, `use one of those values${extra}`);
    case 'const':
      return new ConfigError(path, pointer, JSON.stringify(p.allowedValue), found, `use ${JSON.stringify(p.allowedValue)}${extra}`);
    default:
      return new ConfigError(path, pointer, schemaPhrase(chosen), found, `give ${schemaPhrase(chosen)}${extra}`);
  }
}

function depth(e: ErrorObject): number {
  return e.instancePath.split('/').length;
}

function rank(e: ErrorObject): number {
  return e.keyword === 'type' ? 1 : 0;
}

function schemaPhrase(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `a value of type ${String(p.type)}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `a number ${String(p.comparison)} ${String(p.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `a number ${String(p.comparison)} ${String(p.limit)}`;
    case 'minItems':
      return `a list of at least ${String(p.limit)} item(s)`;
    case 'maxItems':
      return `a list of at most ${String(p.limit)} item(s)`;
    case 'pattern':
      return `a name of letters, digits, ".", "_" or "-"`;
    case 'uniqueItems':
      return 'a list without repeats';
    default:
      return e.message ?? e.keyword;
  }
}

function knownKeys(schema: object, pointer: string): string {
  let node: any = schema;
  for (const part of pointer.split('/').filter(Boolean)) {
    if (/^\d+$/.test(part)) node = node.items;
    else node = node?.properties?.[part];
    if (node?.oneOf) node = node.oneOf.find((o: any) => o.properties) ?? node;
  }
  const keys = Object.keys(node?.properties ?? {});
  return keys.length ? `(${keys.join(', ')})` : '';
}

function valueAt(raw: unknown, pointer: string): unknown {
  let node: any = raw;
  for (const part of pointer.split('/').filter(Boolean)) node = node?.[part];
  return node;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** For a oneOf of required keys ("file" or "procedural"), name the others too. */
function alternatives(errors: ErrorObject[], pointer: string): string {
  const names = errors
    .filter((e) => e.keyword === 'required' && e.instancePath === pointer && e.schemaPath.includes('/oneOf/'))
    .map((e) => `"${String((e.params as { missingProperty: string }).missingProperty)}"`);
  const unique = [...new Set(names)];
  return unique.length > 1 ? ` (or one of ${unique.slice(1).join(', ')})` : '';
}
