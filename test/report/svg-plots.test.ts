import { describe, expect, it } from 'vitest';
import { CATEGORY_COLOURS, categoryColourMap, histogramChart, partColours } from '../../src/report/svg-plots';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('part colours', () => {
  it('works out hue 0 at lightness 0.7 and hue 180 at 0.5 by hand', () => {
    // Saturation 0.5: at lightness 0.7, chroma/2 = 0.5 * 0.3 = 0.15: red 0.85 * 255 = 216.75 -> 0xd9,
    // green and blue 0.55 * 255 = 140.25 -> 0x8c. At 0.5, chroma/2 = 0.25: red 0.25 * 255 = 63.75 -> 0x40,
    // green and blue 0.75 * 255 = 191.25 -> 0xbf.
    expect(partColours(2)).toEqual(['#d98c8c', '#40bfbf']);
  });

  it('gives the 29 parts of render --parts colours apart from each other and from the damage classes', () => {
    const parts = partColours(29);
    const all = [...parts, ...Object.values(CATEGORY_COLOURS)];
    let closest = Infinity;
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const [a, b] = [rgb(all[i]), rgb(all[j])];
        closest = Math.min(closest, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
      }
    }
    // Over 30 apart in RGB (0 to 255 a channel): no two look the same at a glance.
    expect(closest).toBeGreaterThan(30);
  });

  it('maps damage classes to their report colours and parts to the part colours, each in id order', () => {
    const categories = [{ id: 124, name: 'wheel' }, { id: 2, name: 'scratch' }, { id: 101, name: 'hood' }, { id: 1, name: 'dent' }];
    const map = categoryColourMap(categories, (c) => c.id > 100);
    expect(map).toEqual(new Map([[1, '#ffd600'], [2, '#00e5ff'], [101, '#d98c8c'], [124, '#40bfbf']]));
  });
});

describe('histogram markers', () => {
  it('keeps a marker at the right edge inside the plot, its label left of the line, and leaves out one beyond the bins', () => {
    // Edges 16 to 1024: six doubling bins over 940 - 40 - 10 = 890 pixels. 32² = 1024 is the right edge,
    // at x = 40 + 890 = 930; 96² = 9216 is past it.
    const hist = { edges: [16, 32, 64, 128, 256, 512, 1024], counts: { dent: [1, 0, 0, 0, 0, 1] } };
    const svg = histogramChart(hist, String, [{ at: 1024, label: '32²' }, { at: 9216, label: '96²' }], (v) => Math.log2(v / 16));
    expect(svg).toContain('<line x1="930.0" y1="34" x2="930.0" y2="194" stroke="#fff" stroke-dasharray="4 3"/><text x="927.0" y="44" text-anchor="end" fill="#d8dde4">32²</text>');
    expect(svg).not.toContain('96²');
  });

  it('puts a label right of its line where it fits', () => {
    // 32² at bin 1 of 6 (edges 512 to 32k): x = 40 + 890 / 6 = 188.3.
    const hist = { edges: [512, 1024, 2048, 4096, 8192, 16384, 32768], counts: { dent: [1, 0, 0, 0, 0, 1] } };
    const svg = histogramChart(hist, String, [{ at: 1024, label: '32²' }], (v) => Math.log2(v / 512));
    expect(svg).toContain('<text x="191.3" y="44" fill="#d8dde4">32²</text>');
  });
});
