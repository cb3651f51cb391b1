import { describe, it, expect } from 'vitest';
import {
  maskToPolygons,
  maskToSinglePolygon,
  polygonsAreExact,
  rasterizePolygons,
} from '../../src/annotation/polygon';
import { maskArea } from '../../src/annotation/mask';
import type { InstanceMask } from '../../src/annotation/mask';
import { makeRng, randomInt, randomMask, shoelaceArea } from './helpers';

/**
 * Euler number (pieces minus holes) for 4-connected foreground, by Gray's
 * bit-quad count over every 2 x 2 window of the zero-padded image:
 * (Q1 - Q3 + 2 * QD) / 4, where Q1/Q3 are windows with 1/3 set pixels and
 * QD windows with exactly a diagonal pair. It is a purely local count, so it
 * checks the tracer's global flood fills from an independent direction.
 * Hand check: a lone pixel lies in four Q1 windows -> 1; a 3 x 3 ring has
 * four Q1 and four Q3 windows -> 0 = 1 piece - 1 hole.
 */
function euler4(m: InstanceMask): number {
  const at = (x: number, y: number): number =>
    x >= 0 && y >= 0 && x < m.width && y < m.height
      ? m.data[y * m.width + x]
      : 0;
  let q1 = 0;
  let q3 = 0;
  let qd = 0;
  for (let y = -1; y < m.height; y++) {
    for (let x = -1; x < m.width; x++) {
      const a = at(x, y);
      const b = at(x + 1, y);
      const c = at(x, y + 1);
      const d = at(x + 1, y + 1);
      const sum = a + b + c + d;
      if (sum === 1) q1++;
      else if (sum === 3) q3++;
      else if (sum === 2 && a === d) qd++;
    }
  }
  return (q1 - q3 + 2 * qd) / 4;
}

function sameMask(a: InstanceMask, b: InstanceMask): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.data.every((v, i) => v === b.data[i])
  );
}

describe('polygon tracing on random masks', () => {
  const rng = makeRng(42);
  const cases = Array.from({ length: 600 }, () => {
    const width = randomInt(rng, 1, 10);
    const height = randomInt(rng, 1, 10);
    // Sparse masks are mostly hole-free with many diagonal contacts; dense
    // ones have holes, so both branches of the exactness check get used.
    const density = [0.15, 0.3, 0.45, 0.6, 0.8][randomInt(rng, 0, 4)];
    return randomMask(rng, width, height, density);
  });

  it('emits closed pixel-edge outlines with corners only', () => {
    for (const m of cases) {
      for (const poly of maskToPolygons(m)) {
        // At least 4 corners (8 numbers); an axis-aligned outline with only
        // corners alternates horizontal and vertical edges, so the point
        // count is even and no two consecutive edges are parallel.
        expect(poly.length).toBeGreaterThanOrEqual(8);
        expect(poly.length % 4).toBe(0);
        const n = poly.length / 2;
        let ok = true;
        for (let i = 0; i < n; i++) {
          const j = (i + 1) % n;
          const [x, y] = [poly[2 * i], poly[2 * i + 1]];
          const dx = poly[2 * j] - x;
          const dy = poly[2 * j + 1] - y;
          ok &&= Number.isInteger(x) && Number.isInteger(y);
          ok &&= x >= 0 && x <= m.width && y >= 0 && y <= m.height;
          // Edge 0 runs east, then vertical and horizontal alternate.
          ok &&= (dx === 0) !== (dy === 0) && (dx === 0) === (i % 2 === 1);
        }
        expect(ok).toBe(true);
      }
    }
  });

  it('re-rasterises exactly with matching area when hole-free', () => {
    let exact = 0;
    for (const m of cases) {
      if (!polygonsAreExact(m)) continue;
      exact++;
      const polys = maskToPolygons(m);
      expect(sameMask(rasterizePolygons(polys, m.width, m.height), m)).toBe(
        true,
      );
      const area = polys.reduce((sum, p) => sum + shoelaceArea(p), 0);
      expect(area).toBe(maskArea(m));
    }
    // Guard against a generator that never exercises this branch.
    expect(exact).toBeGreaterThan(150);
  });

  it('is exact precisely when re-rasterising gives the mask', () => {
    let holed = 0;
    for (const m of cases) {
      const polys = maskToPolygons(m);
      const back = rasterizePolygons(polys, m.width, m.height);
      // Holes are filled, so the result always covers the mask.
      expect(m.data.every((v, i) => v === 0 || back.data[i] === 1)).toBe(true);
      expect(polygonsAreExact(m)).toBe(sameMask(back, m));
      if (!polygonsAreExact(m)) holed++;
    }
    expect(holed).toBeGreaterThan(50);
  });

  it('agrees with the Euler number: one polygon per piece, holes = 0', () => {
    for (const m of cases) {
      const pieces = maskToPolygons(m).length;
      // Euler = pieces - holes, so no holes iff Euler equals the piece count.
      expect(polygonsAreExact(m)).toBe(euler4(m) === pieces);
      expect(pieces).toBeGreaterThanOrEqual(euler4(m));
    }
  });
});

/**
 * The pixels whose centre has a nonzero winding number around `poly`: the
 * nonzero fill rule, counted directly (edge crossings of a ray to the right,
 * +1 upwards on screen, -1 downwards), apart from the even-odd scan fill.
 */
function fillNonzero(poly: readonly number[], width: number, height: number): InstanceMask {
  const data = new Uint8Array(width * height);
  const n = poly.length / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      let winding = 0;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        const [x1, y1, x2, y2] = [poly[2 * i], poly[2 * i + 1], poly[2 * j], poly[2 * j + 1]];
        const side = (x2 - x1) * (cy - y1) - (cx - x1) * (y2 - y1);
        if (y1 <= cy && y2 > cy && side > 0) winding++;
        else if (y1 > cy && y2 <= cy && side < 0) winding--;
      }
      data[y * width + x] = winding !== 0 ? 1 : 0;
    }
  }
  return { width, height, data };
}

describe('one polygon per mask, holes joined by cuts', () => {
  const rng = makeRng(7);
  const cases = Array.from({ length: 400 }, () =>
    randomMask(rng, randomInt(rng, 1, 12), randomInt(rng, 1, 12), [0.15, 0.3, 0.5, 0.7, 0.85][randomInt(rng, 0, 4)]),
  );

  it('fills back to exactly the mask under both the even-odd and the nonzero rule', () => {
    let holed = 0;
    for (const m of cases) {
      const poly = maskToSinglePolygon(m);
      if (maskArea(m) === 0) {
        expect(poly).toEqual([]);
        continue;
      }
      if (!polygonsAreExact(m)) holed++;
      expect(sameMask(rasterizePolygons([poly], m.width, m.height), m)).toBe(true);
      expect(sameMask(fillNonzero(poly, m.width, m.height), m)).toBe(true);
      // Holes count negative and cuts nothing, so the signed area is the pixel count.
      expect(shoelaceArea(poly)).toBe(maskArea(m));
    }
    expect(holed).toBeGreaterThan(50);
  });
});

describe('polygon tracing on larger blob masks', () => {
  it('reproduces hole-free unions of random discs exactly', () => {
    const rng = makeRng(99);
    let exact = 0;
    for (let t = 0; t < 30; t++) {
      const width = 64;
      const height = 48;
      const data = new Uint8Array(width * height);
      for (let k = randomInt(rng, 1, 6); k > 0; k--) {
        const cx = rng() * width;
        const cy = rng() * height;
        const r = 2 + rng() * 14;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r) {
              data[y * width + x] = 1;
            }
          }
        }
      }
      const m = { width, height, data };
      if (!polygonsAreExact(m)) continue;
      exact++;
      const polys = maskToPolygons(m);
      expect(sameMask(rasterizePolygons(polys, width, height), m)).toBe(true);
      expect(polys.reduce((s, p) => s + shoelaceArea(p), 0)).toBe(
        maskArea(m),
      );
    }
    expect(exact).toBeGreaterThan(20);
  });
});
