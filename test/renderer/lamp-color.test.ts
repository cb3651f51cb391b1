import { describe, expect, it } from 'vitest';
import { kelvinToColor } from '../../src/renderer/lighting';

describe('lamp colour from its temperature', () => {
  it('is white at the white balance, orange for sodium and bluish above the balance', () => {
    const white = kelvinToColor(4000);
    expect(white.r).toBeCloseTo(1, 6);
    expect(white.g).toBeCloseTo(1, 6);
    expect(white.b).toBeCloseTo(1, 6);
    // Wien: a cooler body peaks at longer wavelengths, so red > green > blue.
    const sodium = kelvinToColor(2000);
    expect(sodium.r).toBe(1);
    expect(sodium.g).toBeLessThan(0.8);
    expect(sodium.b).toBeLessThan(sodium.g);
    const cool = kelvinToColor(6500);
    expect(cool.b).toBe(1);
    expect(cool.r).toBeLessThan(cool.g);
  });

  it('grows bluer, channel against channel, as the temperature rises', () => {
    let last = -Infinity;
    for (let k = 1500; k <= 8000; k += 500) {
      const c = kelvinToColor(k);
      expect(c.b / c.r).toBeGreaterThan(last);
      last = c.b / c.r;
    }
  });
});
