import { describe, expect, it } from 'vitest';
import { parseSplits, splitOf } from '../../src/output/splits';

describe('dataset splits', () => {
  it('parse NAME=SHARE lists that add up to 1, and say what is wrong with others', () => {
    expect(parseSplits('train=0.8,val=0.1,test=0.1')).toEqual([
      { name: 'train', share: 0.8 },
      { name: 'val', share: 0.1 },
      { name: 'test', share: 0.1 },
    ]);
    expect(() => parseSplits('train=0.8,val=0.1')).toThrow(/add up to 0.9/);
    expect(() => parseSplits('train:0.8')).toThrow(/"train:0.8" is not NAME=SHARE/);
    expect(() => parseSplits('a=0.5,a=0.5')).toThrow(/named twice/);
  });

  it('put each key in the same split every time, in about the asked shares', () => {
    const splits = parseSplits('train=0.8,val=0.1,test=0.1');
    const keys = Array.from({ length: 10000 }, (_, i) => `car-${i % 7}/red/clear/env/front/${i}`);
    const counts: Record<string, number> = { train: 0, val: 0, test: 0 };
    for (const key of keys) counts[splitOf(key, splits)]++;
    // Binomial(10000, 0.1): standard deviation 30; allow 4 of them.
    expect(Math.abs(counts.val - 1000)).toBeLessThan(120);
    expect(Math.abs(counts.test - 1000)).toBeLessThan(120);
    expect(keys.map((k) => splitOf(k, splits))).toEqual(keys.map((k) => splitOf(k, splits)));
  });
});
