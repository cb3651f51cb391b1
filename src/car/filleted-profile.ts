/**
 * A height-over-length curve y(z): a polyline whose corners are rounded by
 * quadratic Bezier fillets. Used for the car's side-view lines (bonnet,
 * windscreen, roof, boot) because it stays inside the polyline's convex
 * hull, so a flat segment at the roof height really is the highest point.
 */

/** One polyline vertex, metres. */
export interface ProfilePoint {
  readonly z: number;
  readonly y: number;
  /**
   * Half-length along z of the fillet that rounds this corner; clamped so
   * neighbouring fillets never overlap. 0 keeps the corner sharp.
   */
  readonly fillet?: number;
}

/** A C1-continuous function y(z) built from a filleted polyline. */
export class FilletedProfile {
  private readonly pts: ProfilePoint[];
  private readonly radii: number[];

  /** `points` must be strictly increasing in z (at least two). */
  constructor(points: readonly ProfilePoint[]) {
    if (points.length < 2) throw new RangeError('need at least 2 points');
    for (let i = 1; i < points.length; i++) {
      if (!(points[i].z > points[i - 1].z)) {
        throw new RangeError(`profile z not increasing at ${i}`);
      }
    }
    this.pts = [...points];
    this.radii = this.pts.map((p, i) => {
      if (i === 0 || i === this.pts.length - 1) return 0;
      const before = p.z - this.pts[i - 1].z;
      const after = this.pts[i + 1].z - p.z;
      // 0.45 leaves a straight piece between adjacent fillets.
      return Math.max(0, Math.min(p.fillet ?? 0, 0.45 * before, 0.45 * after));
    });
  }

  /** z of the first and last vertex. */
  get range(): [number, number] {
    return [this.pts[0].z, this.pts[this.pts.length - 1].z];
  }

  /** Height at z; clamps to the end values outside the range. */
  at(z: number): number {
    const p = this.pts;
    if (z <= p[0].z) return p[0].y;
    const last = p.length - 1;
    if (z >= p[last].z) return p[last].y;
    let k = 0;
    while (z > p[k + 1].z) k++;
    if (z - p[k].z < this.radii[k]) return this.fillet(k, z);
    if (p[k + 1].z - z < this.radii[k + 1]) return this.fillet(k + 1, z);
    return this.line(k, z);
  }

  /** Straight segment k..k+1 evaluated at z. */
  private line(k: number, z: number): number {
    const a = this.pts[k];
    const b = this.pts[k + 1];
    return a.y + ((z - a.z) / (b.z - a.z)) * (b.y - a.y);
  }

  /**
   * The fillet around vertex k. Its ends sit the same z distance r either
   * side of the vertex, so the Bezier's z is linear in its parameter and
   * can be inverted exactly.
   */
  private fillet(k: number, z: number): number {
    const r = this.radii[k];
    const zc = this.pts[k].z;
    const ya = this.line(k - 1, zc - r);
    const yb = this.line(k, zc + r);
    const t = (z - (zc - r)) / (2 * r);
    const u = 1 - t;
    return u * u * ya + 2 * u * t * this.pts[k].y + t * t * yb;
  }
}
