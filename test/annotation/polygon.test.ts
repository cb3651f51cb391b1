import { describe, it, expect } from 'vitest';
import {
  maskToPolygons,
  maskToSinglePolygon,
  polygonsAreExact,
  rasterizePolygons,
} from '../../src/annotation/polygon';
import { createMask } from '../../src/annotation/mask';
import { maskFromRows, rowsOf, shoelaceArea } from './helpers';

// Polygons run clockwise on screen (y down) from the top-left corner of each
// piece's first pixel in row-major order, keeping only corners.

describe('maskToPolygons', () => {
  it('outlines a single pixel with its four corners', () => {
    // Pixel (1, 2) is the square (1,2)-(2,3): E to (2,2), S to (2,3),
    // W to (1,3), N back to the start.
    const m = createMask(4, 4);
    m.data[2 * 4 + 1] = 1;
    expect(maskToPolygons(m)).toEqual([[1, 2, 2, 2, 2, 3, 1, 3]]);
  });

  it('merges collinear points along straight edges', () => {
    // A 3 x 2 block: the edge points (1,0), (2,0), (0,1), ... are dropped.
    expect(maskToPolygons(maskFromRows(['###', '###']))).toEqual([
      [0, 0, 3, 0, 3, 2, 0, 2],
    ]);
  });

  it('follows a concave corner', () => {
    // # .   Top edge of (0,0) to (1,0), down its right side to (1,1), along
    // # #   the top of (1,1) to (2,1), down to (2,2), left to (0,2), up.
    expect(maskToPolygons(maskFromRows(['#.', '##']))).toEqual([
      [0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 0, 2],
    ]);
  });

  it('splits pixels that touch only at a corner into separate pieces', () => {
    // 4-connectivity: (0,0) and (1,1) share only the vertex (1,1).
    expect(maskToPolygons(maskFromRows(['#.', '.#']))).toEqual([
      [0, 0, 1, 0, 1, 1, 0, 1],
      [1, 1, 2, 1, 2, 2, 1, 2],
    ]);
  });

  it('passes twice through a vertex where one piece pinches', () => {
    // # # #   One piece (all 4-connected via the left column and top row).
    // # . #   (2,1) and (1,2) meet only at vertex (2,2), so the outline
    // # # .   enters the notch at (1,1) through that vertex and leaves by it:
    // (0,0) (3,0) (3,2) (2,2) (2,1) (1,1) (1,2) (2,2) (2,3) (0,3).
    // Shoelace: 0+6+2-2+1+1-2+2+6+0 = 14 -> area 7 = 7 pixels.
    const m = maskFromRows(['###', '#.#', '##.']);
    const polys = maskToPolygons(m);
    expect(polys).toEqual([
      [0, 0, 3, 0, 3, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 3, 0, 3],
    ]);
    expect(shoelaceArea(polys[0])).toBe(7);
    expect(rowsOf(rasterizePolygons(polys, 3, 3))).toEqual(rowsOf(m));
  });

  it('lists pieces in row-major order of their first pixel', () => {
    // Pieces start at (2,0) and (0,1); the one at row 0 comes first.
    expect(maskToPolygons(maskFromRows(['..#', '#..']))).toEqual([
      [2, 0, 3, 0, 3, 1, 2, 1],
      [0, 1, 1, 1, 1, 2, 0, 2],
    ]);
  });

  it('fills holes, tracing only the outer boundary', () => {
    // A 3 x 3 ring: its outline is the full square.
    expect(maskToPolygons(maskFromRows(['###', '#.#', '###']))).toEqual([
      [0, 0, 3, 0, 3, 3, 0, 3],
    ]);
  });

  it('traces an island inside a hole as a piece of its own', () => {
    // Ring around a lone centre pixel: two pieces, the ring's outline is
    // the 5 x 5 square, the island is pixel (2,2).
    const m = maskFromRows(['#####', '#...#', '#.#.#', '#...#', '#####']);
    expect(maskToPolygons(m)).toEqual([
      [0, 0, 5, 0, 5, 5, 0, 5],
      [2, 2, 3, 2, 3, 3, 2, 3],
    ]);
    expect(polygonsAreExact(m)).toBe(false);
  });

  it('returns no polygons for an empty mask', () => {
    expect(maskToPolygons(createMask(3, 2))).toEqual([]);
    expect(maskToPolygons(createMask(0, 0))).toEqual([]);
  });
});

describe('maskToSinglePolygon', () => {
  // Outlines run clockwise, holes counter-clockwise, chained in row-major
  // order of their first pixel by a cut out of the closest vertex pair (the
  // first such pair when several tie), walked there and back.

  it('is the plain outline for one piece without holes', () => {
    expect(maskToSinglePolygon(maskFromRows(['.#', '##']))).toEqual([
      1, 0, 2, 0, 2, 2, 0, 2, 0, 1, 1, 1,
    ]);
  });

  it('joins two pieces by a cut between their closest corners', () => {
    // Pieces (0,0) and (2,1). Closest corners: (1,1) of the first and (2,1)
    // of the second, 1 apart. Walk: (0,0) (1,0) (1,1), over to (2,1), round
    // the second piece back to (2,1), over to (1,1), on to (0,1).
    expect(maskToSinglePolygon(maskFromRows(['#..', '..#']))).toEqual([
      0, 0, 1, 0, 1, 1, 2, 1, 3, 1, 3, 2, 2, 2, 2, 1, 1, 1, 0, 1,
    ]);
  });

  it('cuts into a hole from the outline and runs round it the other way', () => {
    // Ring outline (0,0) (3,0) (3,3) (0,3); hole pixel (1,1), whose corners
    // counter-clockwise are (1,1) (1,2) (2,2) (2,1). All four corner pairs
    // are sqrt(2) apart; the first is (0,0)-(1,1).
    const m = maskFromRows(['###', '#.#', '###']);
    const poly = maskToSinglePolygon(m);
    expect(poly).toEqual([
      0, 0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 0, 0, 3, 0, 3, 3, 0, 3,
    ]);
    expect(rowsOf(rasterizePolygons([poly], 3, 3))).toEqual(rowsOf(m));
    // 9 - 1: the hole's area is subtracted, the cut adds none.
    expect(shoelaceArea(poly)).toBe(8);
  });

  it('runs round a hole of two diagonal pixels as one hole', () => {
    // Hole pixels (1,1) and (2,2) touch at corner (2,2): one 8-connected
    // hole, whose outline passes (2,2) twice.
    const m = maskFromRows(['####', '#.##', '##.#', '####']);
    const poly = maskToSinglePolygon(m);
    expect(poly).toEqual([
      0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0, 0, 4, 0,
      4, 4, 0, 4,
    ]);
    expect(rowsOf(rasterizePolygons([poly], 4, 4))).toEqual(rowsOf(m));
  });

  it('keeps an island inside a hole', () => {
    // Ring (start 0), its hole (start pixel (1,1)), the island (2,2): the
    // hole's outline is the square (1,1)-(4,4) counter-clockwise, the
    // island's is pixel (2,2); cuts (0,0)-(1,1) and (1,1)-(2,2).
    const m = maskFromRows(['#####', '#...#', '#.#.#', '#...#', '#####']);
    const poly = maskToSinglePolygon(m);
    expect(poly).toEqual([
      0, 0, 1, 1, 2, 2, 3, 2, 3, 3, 2, 3, 2, 2, 1, 1, 1, 4, 4, 4, 4, 1, 1, 1,
      0, 0, 5, 0, 5, 5, 0, 5,
    ]);
    expect(rowsOf(rasterizePolygons([poly], 5, 5))).toEqual(rowsOf(m));
  });

  it('returns [] for an empty mask', () => {
    expect(maskToSinglePolygon(createMask(3, 2))).toEqual([]);
  });
});

describe('polygonsAreExact', () => {
  it('is false when background is enclosed', () => {
    // Centre of a ring: all 8 neighbours set.
    expect(polygonsAreExact(maskFromRows(['###', '#.#', '###']))).toBe(false);
    // A 2-pixel hole.
    expect(polygonsAreExact(maskFromRows(['####', '#..#', '####']))).toBe(
      false,
    );
  });

  it('is true when the background escapes through a diagonal gap', () => {
    // (1,1) is 8-adjacent to (2,2), which is on the border.
    expect(polygonsAreExact(maskFromRows(['###', '#.#', '##.']))).toBe(true);
    // Four separate pixels around a centre that touches the corners.
    expect(polygonsAreExact(maskFromRows(['.#.', '#.#', '.#.']))).toBe(true);
  });

  it('is true for hole-free and empty masks', () => {
    expect(polygonsAreExact(maskFromRows(['#.', '##']))).toBe(true);
    expect(polygonsAreExact(createMask(4, 4))).toBe(true);
    expect(polygonsAreExact(createMask(0, 0))).toBe(true);
  });
});

describe('rasterizePolygons', () => {
  it('sets pixels whose centres are inside a triangle', () => {
    // Triangle (0,0) (4,0) (0,4): centre (x+.5, y+.5) is inside iff
    // x + y + 1 < 4. Centres on the hypotenuse (x + y = 3) lie on a right
    // edge and are excluded by the half-open rule.
    expect(rowsOf(rasterizePolygons([[0, 0, 4, 0, 0, 4]], 4, 4))).toEqual([
      '###.',
      '##..',
      '#...',
      '....',
    ]);
  });

  it('unions overlapping polygons instead of cancelling them', () => {
    // Squares (0,0)-(2,2) and (1,1)-(3,3) overlap in pixel (1,1), which
    // even-odd across both would clear; COCO unions an object's polygons.
    const polys = [
      [0, 0, 2, 0, 2, 2, 0, 2],
      [1, 1, 3, 1, 3, 3, 1, 3],
    ];
    expect(rowsOf(rasterizePolygons(polys, 3, 3))).toEqual([
      '##.',
      '###',
      '.##',
    ]);
  });

  it('applies even-odd inside one self-overlapping polygon', () => {
    // Outer square (0,0)-(3,3), then via (0,0)->(1,1) an inner square
    // (1,1)-(2,2), all one ring. Row 1's centre line y = 1.5 crosses the
    // vertical edges at x = 0, 1, 2, 3 (the diagonals stay within y <= 1),
    // giving spans [0,1) and [2,3): pixel (1,1) is outside.
    const ring = [0, 0, 3, 0, 3, 3, 0, 3, 0, 0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1];
    expect(rowsOf(rasterizePolygons([ring], 3, 3))).toEqual([
      '###',
      '#.#',
      '###',
    ]);
  });

  it('clips polygons that extend past the image', () => {
    expect(
      rowsOf(rasterizePolygons([[-1, -1, 5, -1, 5, 5, -1, 5]], 2, 2)),
    ).toEqual(['##', '##']);
  });

  it('rejects polygons with fewer than 3 points or non-finite values', () => {
    expect(() => rasterizePolygons([[0, 0, 1, 1]], 2, 2)).toThrow(RangeError);
    expect(() => rasterizePolygons([[0, 0, 1, 0, NaN, 1]], 2, 2)).toThrow(
      RangeError,
    );
  });
});
