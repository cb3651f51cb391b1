/**
 * How far apart two colours look: CIE 1976 ΔE, the straight-line distance
 * in CIELAB, whose axes are scaled so that equal steps look about equally
 * different (unlike RGB, where a step in green shows far more than one in
 * blue). About 2.3 is just noticeable; over 40 reads as another colour.
 */

/** D65 white in XYZ, Y = 1. */
const WHITE = [0.95047, 1, 1.08883];

/**
 * CIELAB `[L, a, b]` of an sRGB `#rrggbb` colour under D65: L from 0
 * (black) to 100 (white), a green (-) to red (+), b blue (-) to yellow (+).
 */
export function hexToLab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => linear(parseInt(hex.slice(i, i + 2), 16) / 255));
  const xyz = [0.4124564 * r + 0.3575761 * g + 0.1804375 * b, 0.2126729 * r + 0.7151522 * g + 0.072175 * b, 0.0193339 * r + 0.119192 * g + 0.9503041 * b];
  const [fx, fy, fz] = xyz.map((v, i) => labF(v / WHITE[i]));
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 ΔE between two `#rrggbb` colours (0 for the same colour, 100 from black to white). */
export function deltaE(a: string, b: string): number {
  return labDistance(hexToLab(a), hexToLab(b));
}

/** CIE76 ΔE between two CIELAB colours. */
export function labDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** sRGB's transfer curve undone: a channel 0 to 1 to linear light 0 to 1. */
function linear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function labF(t: number): number {
  const epsilon = 216 / 24389;
  return t > epsilon ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116;
}
