import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config';
import type { ModelEntry } from '../../src/car/model-catalog';
import { countJobs, drawAngle, expandGrid } from '../../src/grid/expand-grid';
import { deriveSeed, hashString, Random } from '../../src/grid/random';

function model(id: string, paintable = true): ModelEntry {
  return {
    id,
    entryFile: `/${id}.json`,
    make: 'm',
    model: id,
    bodyStyle: 'sedan',
    file: null,
    procedural: 'sedan',
    licence: '',
    attribution: '',
    rules: { forward: '+z', hide: [], plates: { names: [], uvRegions: [] }, paintMaterials: paintable ? ['paint'] : [], damageMeshes: [], parts: [] },
  };
}

const config = parseConfig(
  '/tmp/grid.json',
  new TextEncoder().encode(
    JSON.stringify({
      models: ['a', 'b'],
      seed: 9,
      paints: ['white', 'red', 'blue'],
      lighting: [{ name: 'l1', environment: 'sky:clear' }, { name: 'l2', environment: 'studio' }],
      views: [{ name: 'front' }, { name: 'rear' }],
      samples: 2,
    }),
  ),
  ['/tmp'],
);

describe('job grid', () => {
  it('is the cartesian product of the discrete axes times the samples', () => {
    const models = [model('a'), model('b')];
    const jobs = [...expandGrid(config, models)];
    // 2 models x 3 paints x 2 lightings x 1 background x 2 views x 2 samples
    expect(jobs).toHaveLength(48);
    expect(countJobs(config, models)).toBe(48);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(48);
    expect(jobs.map((j) => j.index)).toEqual([...Array(48).keys()]);
    expect(jobs[0].key).toBe('a/white/l1/environment/front/0');
    expect(jobs[1].key).toBe('a/white/l1/environment/front/1');
    expect(jobs[47].key).toBe('b/blue/l2/environment/rear/1');
  });

  it('gives a model that keeps its own paint one paint cell', () => {
    expect(countJobs(config, [model('a'), model('b', false)])).toBe(24 + 8);
  });

  it('draws the same values for a job whatever else is in the grid', () => {
    const full = [...expandGrid(config, [model('a'), model('b')])];
    const alone = [...expandGrid(config, [model('b')])];
    const fromFull = full.find((j) => j.key === alone[5].key)!;
    expect(fromFull.seed).toBe(alone[5].seed);
    expect(fromFull.camera).toEqual(alone[5].camera);
    expect(fromFull.damage).toEqual(alone[5].damage);
    expect(fromFull.lighting).toEqual(alone[5].lighting);
  });

  it('keeps every drawn value inside its configured range', () => {
    for (const job of expandGrid(config, [model('a')])) {
      expect(job.camera.azimuthDeg).toBeGreaterThanOrEqual(0);
      expect(job.camera.azimuthDeg).toBeLessThan(360);
      expect(job.camera.focalLengthMm).toBeGreaterThanOrEqual(26);
      expect(job.camera.focalLengthMm).toBeLessThan(50);
      for (const d of job.damage) {
        if (d.type === 'dent') {
          expect(d.radiusM).toBeGreaterThanOrEqual(0.04);
          expect(d.radiusM).toBeLessThan(0.14);
        }
      }
    }
  });
});

describe('background pairing', () => {
  it('renders a background only under the lightings it names', () => {
    const c = parseConfig(
      '/tmp/pairing.json',
      new TextEncoder().encode(
        JSON.stringify({
          models: ['a'],
          paints: ['red'],
          lighting: [{ name: 'day', environment: 'sky:clear' }, { name: 'night', environment: 'sky:night' }],
          backgrounds: [{ name: 'sky', type: 'environment' }, { name: 'day-photo', type: 'color', color: '#808080', lighting: ['day'] }],
        }),
      ),
      ['/tmp'],
    );
    // day x {sky, day-photo} + night x {sky} = 3 jobs.
    const keys = [...expandGrid(c, [model('a')])].map((j) => j.key);
    expect(keys).toEqual(['a/red/day/sky/view0/0', 'a/red/day/day-photo/view0/0', 'a/red/night/sky/view0/0']);
    expect(countJobs(c, [model('a')])).toBe(3);
  });
});

describe('paint palette', () => {
  const weighted = (palette: unknown, samples: number) =>
    parseConfig('/tmp/palette.json', new TextEncoder().encode(JSON.stringify({ models: ['a'], palette, samples })), ['/tmp']);

  it('is one grid cell whose jobs draw paints about as often as their weights say', () => {
    const c = weighted([{ color: 'white', weight: 3 }, { color: 'red', finish: 'solid', weight: 1 }], 4000);
    const jobs = [...expandGrid(c, [model('a')])];
    expect(countJobs(c, [model('a')])).toBe(4000);
    expect(new Set(jobs.map((j) => j.key.split('/')[1]))).toEqual(new Set(['palette']));
    const white = jobs.filter((j) => j.paint!.name === 'white').length;
    // Binomial(4000, 3/4): mean 3000, standard deviation 27; allow 4 of them.
    expect(Math.abs(white - 3000)).toBeLessThan(110);
    expect(jobs.find((j) => j.paint!.name === 'red')!.paint).toMatchObject({ hex: '#8e1b1b', finish: 'solid' });
  });

  it('draws the same paint for a job whatever the sample count', () => {
    const few = [...expandGrid(weighted([{ color: 'white', weight: 1 }, { color: 'black', weight: 1 }], 5), [model('a')])];
    const many = [...expandGrid(weighted([{ color: 'white', weight: 1 }, { color: 'black', weight: 1 }], 50), [model('a')])];
    expect(few.map((j) => j.paint!.name)).toEqual(many.slice(0, 5).map((j) => j.paint!.name));
  });
});

describe('angle ranges', () => {
  it('draw across 0 when written [350, 10], and never outside that arc', () => {
    const r = new Random(3);
    const values = Array.from({ length: 2000 }, () => drawAngle([350, 10], r));
    expect(values.every((v) => v >= 350 || v < 10)).toBe(true);
    expect(values.some((v) => v < 10)).toBe(true);
    expect(values.some((v) => v >= 350)).toBe(true);
  });
});

describe('seeded random', () => {
  it('hashes with FNV-1a', () => {
    // FNV-1a 32 of the empty string is the offset basis 0x811c9dc5.
    expect(hashString('')).toBe(0x811c9dc5);
    // "a" = 0x61, high byte 0: h = (0x811c9dc5 ^ 0x61) * 0x01000193 mod 2^32 = 0xe40c292c,
    // then (0xe40c292c ^ 0) * 0x01000193 mod 2^32 = 0x8ecd8ab4... computed by BigInt below.
    const fnv = (h: bigint, byte: bigint) => ((h ^ byte) * 0x01000193n) & 0xffffffffn;
    expect(BigInt(hashString('a'))).toBe(fnv(fnv(0x811c9dc5n, 0x61n), 0n));
  });

  it('repeats a stream for the same seed and differs across keys', () => {
    const a = new Random(deriveSeed(1, 'k'));
    const b = new Random(deriveSeed(1, 'k'));
    const c = new Random(deriveSeed(1, 'k2'));
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniformly: the mean of many draws is near one half', () => {
    const r = new Random(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += r.next();
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });
});

describe('street lamps', () => {
  const lampConfig = (lamps: unknown) =>
    parseConfig(
      '/tmp/lamps.json',
      new TextEncoder().encode(
        JSON.stringify({
          models: ['a'],
          lighting: [
            { name: 'day', environment: 'sky:clear' },
            { name: 'night', environment: 'sky:night', sun: null, lamps },
          ],
          samples: 40,
        }),
      ),
      ['/tmp'],
    );

  it('come only with a lighting that asks for them, within the drawn ranges and spread round the car', () => {
    const spec = { count: [1, 3], distanceM: [3, 8], heightM: [5, 7], intensity: [100, 200], kelvin: [2000, 5000] };
    const jobs = [...expandGrid(lampConfig(spec), [model('a')])];
    const counts = new Set<number>();
    for (const job of jobs) {
      if (job.lighting.name === 'day') {
        expect(job.lighting.lamps).toBeUndefined();
        continue;
      }
      const lamps = job.lighting.lamps!;
      counts.add(lamps.length);
      for (const l of lamps) {
        expect(l.distanceM).toBeGreaterThanOrEqual(3);
        expect(l.distanceM).toBeLessThanOrEqual(8);
        expect(l.heightM).toBeGreaterThanOrEqual(5);
        expect(l.heightM).toBeLessThanOrEqual(7);
        expect(l.intensity).toBeGreaterThanOrEqual(100);
        expect(l.intensity).toBeLessThanOrEqual(200);
        expect(l.kelvin).toBeGreaterThanOrEqual(2000);
        expect(l.kelvin).toBeLessThanOrEqual(5000);
        expect(l.azimuthDeg).toBeGreaterThanOrEqual(0);
        expect(l.azimuthDeg).toBeLessThan(360);
      }
      // Consecutive lamps stand at least a third of a turn apart.
      for (let i = 1; i < lamps.length; i++) {
        const d = Math.abs(((lamps[i].azimuthDeg - lamps[i - 1].azimuthDeg + 540) % 360) - 180);
        expect(d).toBeGreaterThanOrEqual(120 - 1e-9);
      }
    }
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });

  it('leave every other draw of a job as it was', () => {
    const withLamps = [...expandGrid(lampConfig({ count: 2 }), [model('a')])];
    const without = [...expandGrid(lampConfig(null), [model('a')])];
    expect(without.every((j) => j.lighting.lamps === undefined)).toBe(true);
    withLamps.forEach((job, i) => {
      const { lamps: _, ...light } = job.lighting;
      expect({ ...job, lighting: light }).toEqual(without[i]);
    });
  });
});
