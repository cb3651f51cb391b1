import { describe, expect, it } from 'vitest';
import { defaultWorkers } from '../../src/farm/default-workers';

const GiB = 1024 ** 3;

describe('the default worker count', () => {
  it('is the cores plus one, as many as memory allows at 1 GiB each after 2 GiB for the rest', () => {
    expect(defaultWorkers(2, 24 * GiB)).toBe(3);
    expect(defaultWorkers(16, 64 * GiB)).toBe(17);
    expect(defaultWorkers(16, 8 * GiB)).toBe(6);
    expect(defaultWorkers(4, 2.5 * GiB)).toBe(1);
  });
});
