import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load-config';
import { ConfigError } from '../../src/errors';
import { srgbToLinear } from '../../src/config/colors';

const dir = mkdtempSync(join(tmpdir(), 'dentfarm-config-'));
const file = join(dir, 'scene.json');

function errorOf(config: unknown): ConfigError {
  try {
    parseConfig(file, new TextEncoder().encode(JSON.stringify(config)), [dir]);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('config was accepted');
}

describe('scene config', () => {
  it('fills every default when only models are given', () => {
    const config = parseConfig(file, new TextEncoder().encode('{"models":["a"]}'), [dir]);
    expect(config.seed).toBe(1);
    // No paint axis: every job draws from the market palette.
    expect(config.paints).toEqual([]);
    expect(config.palette!.map((p) => p.name)).toEqual(expect.arrayContaining(['white', 'black', 'grey', 'silver', 'blue', 'red']));
    expect(config.image).toEqual({ width: 640, height: 480, format: 'png', quality: 92, supersample: 2, blur: 0, noise: 0 });
    expect(config.views).toHaveLength(1);
    expect(config.damage.dent).not.toBeNull();
  });

  it('turns sRGB hex into linear colour', () => {
    const config = parseConfig(file, new TextEncoder().encode('{"models":["a"],"paints":["#ff8000"]}'), [dir]);
    // 0x80 = 128 -> 128/255 = 0.50196; ((0.50196 + 0.055) / 1.055)^2.4 = 0.21586
    expect(config.paints[0].linear[0]).toBe(1);
    expect(config.paints[0].linear[1]).toBeCloseTo(0.21586, 4);
    expect(config.paints[0].linear[2]).toBe(0);
    expect(srgbToLinear(0.04)).toBeCloseTo(0.04 / 12.92, 10);
  });

  it('names file, field, expected, found and fix for an unknown key', () => {
    const e = errorOf({ models: ['a'], image: { width: 64, hieght: 48 } });
    expect(e.path).toBe('/image/hieght');
    expect(e.message).toContain(file);
    expect(e.message).toContain('unknown key "hieght"');
    expect(e.message).toContain('height');
    expect(e.message).toMatch(/fix: /);
    expect(e.message).not.toContain('\n');
  });

  it('reports a wrong type at its path', () => {
    const pairing = errorOf({ models: ['a'], lighting: [{ name: 'day' }], backgrounds: [{ type: 'environment', lighting: ['dusk'] }] });
    expect(pairing.path).toBe('/backgrounds/0/lighting/0');
    const both = errorOf({ models: ['a'], paints: ['red'], palette: [{ color: 'red', weight: 1 }] });
    expect(both.path).toBe('/palette');
    expect(both.message).toContain('remove one of them');
    const e = errorOf({ models: ['a'], samples: 'many' });
    expect(e.path).toBe('/samples');
    expect(e.expected).toContain('integer');
    expect(e.found).toBe('"many"');
  });

  it('rejects an empty model list', () => {
    expect(errorOf({ models: [] }).path).toBe('/models');
  });

  it('rejects a negative count inside a range', () => {
    expect(errorOf({ models: ['a'], damage: { dent: { count: [-1, 2] } } }).path).toBe('/damage/dent/count/0');
  });

  it('rejects a range written backwards and says how to write it', () => {
    const e = errorOf({ models: ['a'], views: [{ elevationDeg: [30, 10] }] });
    expect(e.path).toBe('/views/0/elevationDeg');
    expect(e.fix).toContain('[10, 30]');
  });

  it('reads an azimuth range that crosses 0 as the short way round', () => {
    const config = parseConfig(file, new TextEncoder().encode('{"models":["a"],"views":[{"azimuthDeg":[350,10]}]}'), [dir]);
    expect(config.views[0].azimuthDeg).toEqual([350, 10]);
  });

  it('gives the line and column of a JSON syntax error', () => {
    const e = (() => {
      try {
        parseConfig(file, new TextEncoder().encode('{\n  "models": ["a"],\n  "seed": ,\n}'), [dir]);
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('accepted');
    })();
    // The comma after "seed": sits on line 3, column 11.
    expect(e.found).toContain('line 3, column 11');
  });

  it('rejects an invalid colour', () => {
    const e = errorOf({ models: ['a'], paints: ['#12345'] });
    expect(e.path).toBe('/paints/0');
    expect(e.found).toBe('"#12345"');
  });

  it('rejects an environment file that does not exist', () => {
    const e = errorOf({ models: ['a'], lighting: [{ environment: 'nowhere.env' }] });
    expect(e.path).toBe('/lighting/0/environment');
  });

  it('rejects duplicate names on an axis', () => {
    const e = errorOf({ models: ['a'], views: [{ name: 'v' }, { name: 'v' }] });
    expect(e.path).toBe('/views/1/name');
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(() => parseConfig(file, new Uint8Array([0x7b, 0xff, 0x7d]), [dir])).toThrow(/UTF-8/);
  });

  it('reads YAML and refuses an alias bomb', () => {
    const yaml = join(dir, 'scene.yaml');
    writeFileSync(yaml, 'models: [a]\nsamples: 2\n');
    expect(loadConfig(yaml, [dir]).samples).toBe(2);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) bomb.push(`${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(9).fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`).join(', ')}]`);
    writeFileSync(yaml, `${bomb.join('\n')}\nmodels: [a]\n`);
    expect(() => loadConfig(yaml, [dir])).toThrow(ConfigError);
  });
});
