import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAskedDistribution } from '../../src/report/asked-distribution';
import { computeDatasetStats, isGap, type DatasetStats } from '../../src/report/dataset-stats';
import { readDataset } from '../../src/report/read-dataset';
import { ROOT } from '../e2e/run-cli';
import { writeFixture, type Fixture } from './fixture-dataset';

let fixture: Fixture;
let got: DatasetStats;
let asked: DatasetStats;

beforeAll(async () => {
  fixture = await writeFixture();
  const dataset = readDataset(fixture.dir);
  got = computeDatasetStats(dataset);
  asked = computeDatasetStats(dataset, readAskedDistribution(fixture.configFile, ROOT, dataset.images, dataset.info.config_sha256));
});

afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

const pick = (rows: { value: string; images: number; instances: number; ignoreRegions: number }[]) =>
  Object.fromEntries(rows.map((r) => [r.value, [r.images, r.instances, r.ignoreRegions]]));

describe('dataset stats of a hand-counted dataset', () => {
  it('counts images, instances, ignore regions and images without damage', () => {
    // Annotations 1, 2, 3, 5, 6 are damage instances; 4 is an ignore region; 7 a part mask.
    expect([got.images, got.instances, got.ignoreRegions, got.imagesWithoutDamage]).toEqual([4, 5, 1, 1]);
  });

  it('counts images, instances, ignore regions and COCO size buckets per category', () => {
    const rows = Object.fromEntries(got.categories.map((c) => [c.name, [c.images, c.instances, c.ignoreRegions, c.small, c.medium, c.large]]));
    expect(rows).toEqual({
      dent: [2, 2, 1, 1, 0, 1],
      scratch: [1, 1, 0, 0, 1, 0],
      crack: [1, 1, 0, 1, 0, 0],
      glass_shatter: [1, 1, 0, 1, 0, 0],
      lamp_broken: [0, 0, 0, 0, 0, 0],
      tire_flat: [0, 0, 0, 0, 0, 0],
    });
    expect(got.partMasks).toEqual([{ id: 124, name: 'wheel', images: 1, instances: 1 }]);
  });

  it('counts [images, instances, ignore regions] per model, colour, lighting, background, view and split', () => {
    expect(pick(got.facets.model)).toEqual({ 'dentfarm-sedan': [3, 5, 1], 'dentfarm-suv': [1, 0, 0] });
    expect(pick(got.facets.colour)).toEqual({ white: [2, 3, 1], black: [1, 2, 0], 'own-paint': [1, 0, 0] });
    expect(pick(got.facets.lighting)).toEqual({ clear: [3, 4, 0], overcast: [1, 1, 1] });
    expect(pick(got.facets.background)).toEqual({ street: [4, 5, 1] });
    expect(pick(got.facets.view)).toEqual({ front: [2, 3, 1], side: [2, 2, 0] });
    expect(pick(got.facets.split)).toEqual({ train: [3, 3, 1], val: [1, 2, 0] });
  });

  it('counts instances per damaged part, most first, ignore regions left out', () => {
    expect(got.parts.map((p) => [p.part, p.images, p.instances])).toEqual([
      ['door_front_left', 1, 1],
      ['front_bumper', 1, 1],
      ['hood', 1, 1],
      ['roof', 1, 1],
      ['windshield', 1, 1],
    ]);
  });

  it('bins areas in doubling bins from the power of two below the smallest (18 px: from 16)', () => {
    expect(got.area.edges).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384]);
    // 100 and 10000 (dent), 1200 (scratch), 18 (crack), 40 (glass).
    expect(got.area.counts.dent).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(got.area.counts.scratch).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(got.area.counts.crack).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(got.area.counts.glass_shatter).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('bins visible fractions in tenths, 1 in the last bin, instances without one left out', () => {
    expect(got.visibleFraction.counts.dent).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(got.visibleFraction.counts.scratch).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(got.visibleFraction.counts.crack).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(got.visibleFraction.counts.glass_shatter).toEqual(new Array(10).fill(0));
  });

  it('lists every camera view with its azimuth and elevation', () => {
    expect(got.views.map((v) => [v.imageId, v.view, v.azimuthDeg, v.elevationDeg])).toEqual([
      [1, 'front', 0, 10],
      [3, 'front', 90, 20],
      [6, 'side', 180, 30],
      [20, 'side', 270, 45],
    ]);
    expect(got.asked).toBeNull();
    expect(got.gaps).toEqual([]);
  });
});

describe('asked against got', () => {
  it('asks each value of an axis its share of the grid: 1/3 per model, 1/2 per paint, lighting and view', () => {
    const shares = (rows: { value: string; asked?: { share: number; expected: number } }[]) => Object.fromEntries(rows.map((r) => [r.value, r.asked && [r.asked.share, r.asked.expected]]));
    expect(shares(asked.facets.model)).toEqual({ 'dentfarm-sedan': [1 / 3, 4 / 3], 'dentfarm-hatchback': [1 / 3, 4 / 3], 'dentfarm-suv': [1 / 3, 4 / 3] });
    expect(shares(asked.facets.colour)).toEqual({ white: [0.5, 2], black: [0.5, 2], 'own-paint': [0, 0] });
    expect(shares(asked.facets.view)).toEqual({ front: [0.5, 2], side: [0.5, 2] });
    expect(asked.facets.model.find((r) => r.value === 'dentfarm-hatchback')!.images).toBe(0);
  });

  it('flags a value that was never asked for, and no value chance explains', () => {
    // own-paint: 1 image at share 0 is a gap; the hatchback's 0 of 4 at 1/3 happens by chance (16/81).
    expect(asked.gaps).toEqual([
      'colour own-paint: 1 images, asked 0.0 (0.0%)',
      'category scratch: 1 instances, asked 0.0 (0.0%) (0 requested)',
      'category glass_shatter: 1 instances, asked 0.0 (0.0%) (0 requested)',
    ]);
  });

  it("compares classes with the damage the dataset's own jobs requested (2 dents and 1 crack each, 3 jobs matched)", () => {
    expect(asked.asked).toMatchObject({ matchesDataset: true, matchedImages: 3 });
    const rows = Object.fromEntries(asked.categories.map((c) => [c.name, [c.requested, c.asked!.share, c.asked!.gap]]));
    expect(rows).toEqual({
      dent: [6, 2 / 3, false],
      scratch: [0, 0, true],
      crack: [3, 1 / 3, false],
      glass_shatter: [0, 0, true],
      lamp_broken: [0, 0, false],
      tire_flat: [0, 0, false],
    });
    expect(asked.categories[0].asked!.expected).toBeCloseTo(10 / 3, 12);
  });
});

describe('isGap', () => {
  it('uses the two-sided binomial p-value at 1%', () => {
    // n 20, p 1/2: P(X <= 3) = 1351 / 2^20 = 0.0013, doubled 0.0026; P(X <= 5) = 21700 / 2^20, doubled 0.041.
    expect(isGap(3, 20, 0.5)).toBe(true);
    expect(isGap(17, 20, 0.5)).toBe(true);
    expect(isGap(5, 20, 0.5)).toBe(false);
    expect(isGap(10, 20, 0.5)).toBe(false);
    expect(isGap(0, 4, 1 / 3)).toBe(false);
    expect(isGap(1, 10, 0)).toBe(true);
    expect(isGap(10, 10, 1)).toBe(false);
    expect(isGap(9, 10, 1)).toBe(true);
  });

  it('switches to the normal approximation above 2000 trials', () => {
    // n 10000, p 1/2: sd 50; 2.5758 sd = 128.8.
    expect(isGap(5000 + 129 + 1, 10000, 0.5)).toBe(true);
    expect(isGap(5000 + 128, 10000, 0.5)).toBe(false);
  });
});
