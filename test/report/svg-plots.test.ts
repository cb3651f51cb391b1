import { describe, expect, it } from 'vitest';
import { deltaE, hexToLab } from '../../src/report/colour-distance';
import { CATEGORY_COLOURS, categoryColourMap, histogramChart, partColours } from '../../src/report/svg-plots';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('colour distance', () => {
  it('gives the CIELAB of white, black and sRGB red, and their CIE76 distances', () => {
    // White is the D65 white point itself: L 100, a = b = 0. Black: all 0.
    const white = hexToLab('#ffffff');
    expect(white[0]).toBeCloseTo(100, 3);
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(0.01);
    expect(hexToLab('#000000')).toEqual([0, 0, 0]);
    // Red: linear (1, 0, 0), so XYZ is the red column of the sRGB matrix, (0.4124564, 0.2126729,
    // 0.0193339). Y 0.2126729: f = cbrt = 0.596906, L = 116 f - 16 = 53.241. X / 0.95047 = 0.433950,
    // f = 0.757089, a = 500 (0.757089 - 0.596906) = 80.09. Z / 1.08883 = 0.017757, f = 0.260890,
    // b = 200 (0.596906 - 0.260890) = 67.20.
    const red = hexToLab('#ff0000');
    expect(red[0]).toBeCloseTo(53.241, 2);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
    expect(deltaE('#000000', '#ffffff')).toBeCloseTo(100, 3);
    expect(deltaE('#ff0000', '#000000')).toBeCloseTo(Math.hypot(53.241, 80.09, 67.2), 1);
  });
});

describe('part colours', () => {
  it('starts with hue 0 at saturation 0.5 and lightness 0.7, worked out by hand', () => {
    // At lightness 0.7, chroma/2 = 0.5 * 0.3 = 0.15: red 0.85 * 255 = 216.75 -> 0xd9,
    // green and blue 0.55 * 255 = 140.25 -> 0x8c.
    expect(partColours(1)).toEqual(['#d98c8c']);
  });

  it('keeps every part colour clearly apart from every damage colour (CIE76 ΔE of 40 or more)', () => {
    for (const count of [1, 2, 29, 60]) {
      for (const part of partColours(count)) {
        for (const [name, damage] of Object.entries(CATEGORY_COLOURS)) {
          expect(deltaE(part, damage), `${part} against ${name}`).toBeGreaterThanOrEqual(40);
        }
      }
    }
    // The pairs that looked alike: trim and crack were 22.9 apart, door_front_left and glass_shatter 30.1.
    expect(deltaE('#bf40a9', CATEGORY_COLOURS.crack)).toBeLessThan(40);
    expect(deltaE('#40bf49', CATEGORY_COLOURS.glass_shatter)).toBeLessThan(40);
  });

  it('gives the 29 parts of render --parts colours apart from each other', () => {
    const parts = partColours(29);
    let closestLab = Infinity;
    let closestRgb = Infinity;
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        closestLab = Math.min(closestLab, deltaE(parts[i], parts[j]));
        const [a, b] = [rgb(parts[i]), rgb(parts[j])];
        closestRgb = Math.min(closestRgb, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
      }
    }
    // Hues evenly round the wheel at three lightnesses came to 13.5 at the closest pair.
    expect(closestLab).toBeGreaterThan(20);
    // Over 30 apart in RGB (0 to 255 a channel) as well.
    expect(closestRgb).toBeGreaterThan(30);
  });

  it('gives a part the same colour however many parts follow it', () => {
    expect(partColours(40).slice(0, 29)).toEqual(partColours(29));
    expect(partColours(29).slice(0, 2)).toEqual(partColours(2));
  });

  it('maps damage classes to their report colours and parts to the part colours, each in id order', () => {
    const categories = [{ id: 124, name: 'wheel' }, { id: 2, name: 'scratch' }, { id: 101, name: 'hood' }, { id: 1, name: 'dent' }];
    const map = categoryColourMap(categories, (c) => c.id > 100);
    const [hood, wheel] = partColours(2);
    expect(map).toEqual(new Map([[1, '#ffd600'], [2, '#00e5ff'], [101, hood], [124, wheel]]));
    expect(hood).toBe('#d98c8c');
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
