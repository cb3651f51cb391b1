/**
 * One cross-section of the car body at a given z, as the left half
 * (x >= 0) of a closed loop from the underbody centre round the side to the
 * roof centre. Every section has the same number of points in each named
 * segment, so a quad's segment (and thus its panel) is known from its
 * perimeter index alone; segments that do not exist at some z (wheel well,
 * greenhouse) simply collapse to zero length there.
 */
import type { CarLayout } from './car-layout';

/** Perimeter segments, bottom centre to roof centre. */
export type SegmentId =
  | 'floor' // flat underbody, x from 0 to the wheel-well wall
  | 'wellWall' // inner wall of the wheel well (zero height off the arches)
  | 'wellRoof' // top of the wheel well, out to the sill / arch lip
  | 'sill' // sill rounding and the side up to the bumper line
  | 'lowerSide' // bumper line up to the widest line
  | 'upperSide' // widest line up to the shoulder
  | 'shoulder' // rounding from the side onto the deck
  | 'deck' // flat strip between shoulder and greenhouse base
  | 'greenhouse' // side glass, leaning inwards (tumblehome)
  | 'roofEdge' // rounding from side glass onto the roof
  | 'roofOuter' // outer roof / bonnet / boot (lamps on the nose and tail)
  | 'roofMid' // between outer and centre (bumper fascia on the nose)
  | 'roofCentre'; // central part (grille on the nose)

/** Number of quads across each segment, in perimeter order. */
export const SEGMENTS: readonly { id: SegmentId; quads: number }[] = [
  { id: 'floor', quads: 6 },
  { id: 'wellWall', quads: 3 },
  { id: 'wellRoof', quads: 4 },
  { id: 'sill', quads: 5 },
  { id: 'lowerSide', quads: 5 },
  { id: 'upperSide', quads: 6 },
  { id: 'shoulder', quads: 5 },
  { id: 'deck', quads: 3 },
  { id: 'greenhouse', quads: 6 },
  { id: 'roofEdge', quads: 3 },
  { id: 'roofOuter', quads: 2 },
  { id: 'roofMid', quads: 2 },
  { id: 'roofCentre', quads: 5 },
];

/** Quads in a half section (points are one more). */
export const HALF_QUADS = SEGMENTS.reduce((n, s) => n + s.quads, 0);

/** Segment of each half-section quad, indexed by its first point. */
export const SEGMENT_OF_QUAD: readonly SegmentId[] = SEGMENTS.flatMap((s) =>
  new Array<SegmentId>(s.quads).fill(s.id),
);

type P2 = [number, number];

// Shape constants, metres; chosen by eye against real saloons.
const SHOULDER_HEIGHT = 0.055;
const SHOULDER_WIDTH = 0.05;
const SHELF = 0.03; // deck strip between shoulder and side glass
const SILL_RADIUS = 0.035;
const ROOF_EDGE_RADIUS = 0.05;
const TUCK_LOW = 0.045; // side tucks in 4.5 % towards the sill
const TUCK_HIGH = 0.035; // and 3.5 % towards the shoulder
const WELL_GAP = 0.035; // wheel-well wall clearance inboard of the tyre

/**
 * Points spaced evenly by arc length along a polyline, excluding its
 * first point; the last returned point is exactly the polyline's end.
 */
function resample(line: readonly P2[], n: number): P2[] {
  const cum = [0];
  for (let i = 1; i < line.length; i++) {
    const d = Math.hypot(
      line[i][0] - line[i - 1][0],
      line[i][1] - line[i - 1][1],
    );
    cum.push(cum[i - 1] + d);
  }
  const total = cum[cum.length - 1];
  const end = line[line.length - 1];
  const out: P2[] = [];
  let k = 1;
  for (let q = 1; q <= n; q++) {
    if (q === n || total === 0) {
      out.push([end[0], end[1]]);
      continue;
    }
    const target = (total * q) / n;
    while (cum[k] < target) k++;
    const f = (target - cum[k - 1]) / (cum[k] - cum[k - 1]);
    const a = line[k - 1];
    const b = line[k];
    out.push([a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]);
  }
  return out;
}

/** Samples a quadratic Bezier a -> c (control b) as a polyline. */
function bezier(a: P2, b: P2, c: P2, n = 12): P2[] {
  const out: P2[] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const u = 1 - t;
    out.push([
      u * u * a[0] + 2 * u * t * b[0] + t * t * c[0],
      u * u * a[1] + 2 * u * t * b[1] + t * t * c[1],
    ]);
  }
  return out;
}

/** Samples y -> (f(y), y) for y from y0 to y1. */
function sideCurve(f: (y: number) => number, y0: number, y1: number): P2[] {
  const out: P2[] = [];
  const n = 16;
  for (let i = 0; i <= n; i++) {
    const y = y0 + ((y1 - y0) * i) / n;
    out.push([f(y), y]);
  }
  return out;
}

/** Samples x -> (x, f(x)) for x from x0 to x1. */
function topCurve(f: (x: number) => number, x0: number, x1: number): P2[] {
  const out: P2[] = [];
  const n = 12;
  for (let i = 0; i <= n; i++) {
    const x = x0 + ((x1 - x0) * i) / n;
    out.push([x, f(x)]);
  }
  return out;
}

/**
 * The left half-section at z, `HALF_QUADS + 1` points (x, y) in metres,
 * from (0, floor) to (0, top). Not yet scaled by the nose / tail caps.
 */
export function halfSection(L: CarLayout, z: number): P2[] {
  const p = L.params;
  const hw = L.halfWidth(z);
  const floor = L.floor(z);
  const edge = L.deck.at(z) - L.crown;
  const ss = edge - SHOULDER_HEIGHT;
  // The widest line runs above the arches, as on most modern cars.
  const wide = Math.min(
    Math.max(floor + 0.78 * (edge - floor), L.archTopY + 0.04),
    ss - 0.02,
  );
  const sideX = (y: number): number => {
    if (y <= wide) {
      const u = (wide - y) / (wide - floor);
      return hw * (1 - TUCK_LOW * u * u);
    }
    const u = (y - wide) / (edge - wide);
    return hw * (1 - TUCK_HIGH * u * u);
  };
  const bottom = Math.min(L.well(z), wide - 0.01);
  const rs = Math.min(SILL_RADIUS, 0.5 * (wide - bottom));
  // Bumper skins end at this height; over the arches the sill collapses.
  const bumperLine = Math.min(
    Math.max(floor + 0.62 * (wide - floor), bottom + rs),
    wide,
  );
  const xSill = sideX(bottom);
  const xWell = Math.min(
    p.track / 2 - p.tyreWidth / 2 - WELL_GAP,
    xSill - rs - 0.01,
  );

  const xShoulder = sideX(ss);
  const xDeck = xShoulder - SHOULDER_WIDTH;
  const deckY = (x: number): number => {
    const u = x / xDeck;
    return edge + L.crown * (1 - u * u);
  };
  const ghBase = xDeck - SHELF;
  const cabin = L.cabin(z);
  const rr = Math.min(ROOF_EDGE_RADIUS, 0.5 * cabin);
  const lean = Math.tan((p.tumblehome * Math.PI) / 180);
  const ghTop = ghBase - (cabin - rr) * lean;
  const roofY = (x: number): number => deckY(x) + cabin;
  const xRoof = ghTop - rr;
  const xMid = 0.72 * ghTop;
  const xCentre = 0.45 * ghTop;

  const pieces: P2[][] = [
    [[0, floor], [xWell, floor]],
    [[xWell, floor], [xWell, bottom]],
    [[xWell, bottom], [xSill - rs, bottom]],
    [
      ...bezier([xSill - rs, bottom], [xSill, bottom], [
        sideX(bottom + rs),
        bottom + rs,
      ]),
      ...sideCurve(sideX, bottom + rs, bumperLine).slice(1),
    ],
    sideCurve(sideX, bumperLine, wide),
    sideCurve(sideX, wide, ss),
    bezier([xShoulder, ss], [xShoulder, edge], [xDeck, edge]),
    topCurve(deckY, xDeck, ghBase),
    [[ghBase, deckY(ghBase)], [ghTop, roofY(ghTop) - rr]],
    bezier([ghTop, roofY(ghTop) - rr], [ghTop, roofY(ghTop)], [
      xRoof,
      roofY(xRoof),
    ]),
    topCurve(roofY, xRoof, xMid),
    topCurve(roofY, xMid, xCentre),
    topCurve(roofY, xCentre, 0),
  ];
  const out: P2[] = [[0, floor]];
  SEGMENTS.forEach((s, i) => out.push(...resample(pieces[i], s.quads)));
  return out;
}
