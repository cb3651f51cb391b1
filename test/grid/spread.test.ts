import { describe, expect, it } from 'vitest';
import { spreadIndices } from '../../src/grid/spread';

describe('spreadIndices', () => {
  it('gives count distinct indices in increasing order', () => {
    for (const [total, count] of [[48, 24], [10, 9], [1000, 37], [5, 5], [3, 7]]) {
      const picked = spreadIndices(total, count);
      expect(picked).toHaveLength(Math.min(total, count));
      expect(new Set(picked).size).toBe(picked.length);
      expect(picked.every((v, i) => v >= 0 && v < total && (i === 0 || v > picked[i - 1]))).toBe(true);
    }
  });

  it('meets both values of a last axis of two where a stride of two would meet one', () => {
    // 24 of 48: every second job would always be the first value of the last axis.
    const picked = spreadIndices(48, 24);
    const odd = picked.filter((i) => i % 2 === 1).length;
    expect(odd).toBeGreaterThanOrEqual(8);
    expect(odd).toBeLessThanOrEqual(16);
  });

  it('meets every value of each axis of a 6 x 4 x 2 grid in 24 picks', () => {
    const picked = spreadIndices(48, 24);
    const values = (size: number, stride: number) => new Set(picked.map((i) => Math.floor(i / stride) % size)).size;
    expect(values(2, 1)).toBe(2);
    expect(values(4, 2)).toBe(4);
    expect(values(6, 8)).toBe(6);
  });

  it('starts from the middle: one pick of many is the middle one', () => {
    expect(spreadIndices(100, 1)).toEqual([50]);
  });
});
