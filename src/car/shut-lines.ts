/**
 * Shut lines: the dark gaps between panels that open or bolt on (bonnet,
 * doors, boot lid, bumpers, wings, lamps), and the black rubber seals
 * where paint meets glass. The body is one lofted surface, so its panels
 * meet without a seam; each line is a thin strip laid a millimetre above
 * the surface along the grid edge two panels share.
 *
 * A strip belongs to one of its two panels (a door before a wing, a wing
 * before a bumper, paint before glass), so it is drawn, labelled and
 * removed with that panel.
 */
import type { BodyGrid } from './body-loft';
import type { QuadNames } from './body-parts';
import type { Vec3 } from './glb-types';
import { MeshBuilder, v3 } from './mesh-builder';

/**
 * Visible width of a shut line, metres: a 4 mm gap and its rolled edges.
 * TODO: where a pixel spans more than about twice this (a car under 500
 * pixels long, or a side seen at a slant), the line falls between the 2 x 2
 * samples of most pixels and a slanting one breaks into dashes; a line
 * drawn per fragment (distance to the edge in a vertex attribute, widened
 * to a pixel and faded like the damage strokes) would stay continuous.
 */
export const SHUT_LINE_WIDTH = 0.006;
/** Width of a grille slat, metres. */
export const SLAT_WIDTH = 0.01;
/** Visible width of a window seal, metres. */
export const SEAL_WIDTH = 0.014;
/** Height of the strip above the body surface, metres. */
const LIFT = 0.001;

/** Panels welded into the body shell: no gap where two of them meet. */
const SHELL = /^(roof|pillar_[ac]_|fender_rear_)/;
/** Parts that never carry a shut line. */
const NO_LINE = /^(underbody|grille|pillar_b_)/;
const GLASS = /^(windshield|rear_window|window_)/;
/** Which panel a strip belongs to: the first pattern that matches. */
const OWNER_ORDER = [
  /^door_/, /^(hood|trunk|tailgate)$/, /^fender_/, /_bumper$/, /lamp_/,
];

/** What panels a and b show where they meet: a gap, a seal or nothing. */
export function lineBetween(a: string, b: string): 'gap' | 'seal' | null {
  if (a === b || NO_LINE.test(a) || NO_LINE.test(b)) return null;
  const glassA = GLASS.test(a);
  const glassB = GLASS.test(b);
  if (glassA && glassB) return null;
  if (glassA || glassB) return 'seal';
  return SHELL.test(a) && SHELL.test(b) ? null : 'gap';
}

function ownerRank(name: string): number {
  if (GLASS.test(name)) return OWNER_ORDER.length + 1;
  const r = OWNER_ORDER.findIndex((re) => re.test(name));
  return r < 0 ? OWNER_ORDER.length : r;
}

/** The panel of a and b that carries their shared shut line. */
export function shutLineOwner(a: string, b: string): string {
  const d = ownerRank(a) - ownerRank(b);
  if (d !== 0) return d < 0 ? a : b;
  return a < b ? a : b;
}

/**
 * The strips one panel carries: its shut lines, its window seals and, on
 * the grille, bright slats along the rings of the nose.
 */
export interface PanelLines {
  readonly gaps: MeshBuilder;
  readonly seals: MeshBuilder;
  readonly slats: MeshBuilder;
}

/**
 * The shut-line and seal strips of the body, by owning panel name.
 * Deterministic: edges are visited in grid order.
 */
export function buildShutLines(
  grid: BodyGrid,
  quads: QuadNames,
): Map<string, PanelLines> {
  const { positions: P, normals: N, cols, stations } = grid;
  const { names, quadPart } = quads;
  const rows = stations.length;
  const out = new Map<string, PanelLines>();
  const point = (g: number): Vec3 => [P[g * 3], P[g * 3 + 1], P[g * 3 + 2]];
  const normal = (g: number): Vec3 => [N[g * 3], N[g * 3 + 1], N[g * 3 + 2]];
  const edge = (
    qa: number,
    qb: number,
    g1: number,
    g2: number,
    ring: boolean,
  ): void => {
    const a = names[quadPart[qa]];
    const b = names[quadPart[qb]];
    const slat = ring && a === 'grille' && b === 'grille';
    const kind = slat ? 'slat' : lineBetween(a, b);
    if (!kind) return;
    const owner = shutLineOwner(a, b);
    let lines = out.get(owner);
    if (!lines) {
      lines = {
        gaps: new MeshBuilder(),
        seals: new MeshBuilder(),
        slats: new MeshBuilder(),
      };
      out.set(owner, lines);
    }
    const mesh = { gap: lines.gaps, seal: lines.seals, slat: lines.slats };
    const width = { gap: SHUT_LINE_WIDTH, seal: SEAL_WIDTH, slat: SLAT_WIDTH };
    const [p1, p2] = [point(g1), point(g2)];
    addStrip(mesh[kind], width[kind], p1, normal(g1), p2, normal(g2));
  };
  const q = (i: number, j: number): number => i * (cols - 1) + j;
  for (let i = 0; i + 1 < rows; i++) {
    for (let j = 0; j + 1 < cols; j++) {
      // The edge along the ring between this quad and the one before it
      // (row i - 1), and the edge along the car between this quad and its
      // neighbour round the perimeter (column j - 1).
      const g = i * cols + j;
      if (i > 0) edge(q(i - 1, j), q(i, j), g, g + 1, true);
      if (j > 0) edge(q(i, j - 1), q(i, j), g, g + cols, false);
    }
  }
  return out;
}

/**
 * A strip `width` wide centred on the edge p1-p2, lifted along the surface
 * normals, running half a width past each end so the strips of a bent
 * line overlap at the joints.
 */
function addStrip(
  mb: MeshBuilder,
  width: number,
  p1: Vec3,
  n1: Vec3,
  p2: Vec3,
  n2: Vec3,
): void {
  const e = v3.sub(p2, p1);
  if (Math.hypot(e[0], e[1], e[2]) < 1e-5) return;
  const dir = v3.normalize(e);
  const hw = width / 2;
  const corner = (p: Vec3, n: Vec3, end: number, across: number): Vec3 => {
    const s = v3.normalize(v3.cross(n, dir));
    return v3.add(
      v3.add(p, v3.scale(n, LIFT)),
      v3.add(v3.scale(s, across * hw), v3.scale(dir, end * hw)),
    );
  };
  const c = [
    corner(p1, n1, -1, -1),
    corner(p1, n1, -1, 1),
    corner(p2, n2, 1, 1),
    corner(p2, n2, 1, -1),
  ];
  const ns = [n1, n1, n2, n2];
  const idx = c.map((p, k) => mb.vertex(p, ns[k]));
  // Wind the strip counter-clockwise seen from outside the body.
  const face = v3.cross(v3.sub(c[1], c[0]), v3.sub(c[2], c[0]));
  if (v3.dot(face, v3.add(n1, n2)) > 0) {
    mb.triangle(idx[0], idx[1], idx[2]);
    mb.triangle(idx[0], idx[2], idx[3]);
  } else {
    mb.triangle(idx[0], idx[2], idx[1]);
    mb.triangle(idx[0], idx[3], idx[2]);
  }
}
