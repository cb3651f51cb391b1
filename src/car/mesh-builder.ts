/**
 * Small helpers to accumulate triangle meshes before they are frozen into
 * typed arrays for the GLB writer.
 */
import type { GlbPrimitive, Vec3 } from './glb-types';

/** Vector helpers on plain tuples (metres). */
export const v3 = {
  sub: (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]],
  add: (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]],
  scale: (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s],
  dot: (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2],
  cross: (a: Vec3, b: Vec3): Vec3 => [
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  ],
  normalize: (a: Vec3): Vec3 => {
    const l = Math.hypot(a[0], a[1], a[2]);
    return l > 0 ? [a[0] / l, a[1] / l, a[2] / l] : [0, 0, 0];
  },
};

/** Growable triangle list; vertices carry a position, normal and uv. */
export class MeshBuilder {
  private readonly pos: number[] = [];
  private readonly nrm: number[] = [];
  private readonly uv: number[] = [];
  private readonly idx: number[] = [];

  /** Number of vertices added so far. */
  get vertexCount(): number {
    return this.pos.length / 3;
  }

  /** Number of triangles added so far. */
  get triangleCount(): number {
    return this.idx.length / 3;
  }

  /** Adds a vertex and returns its index. */
  vertex(p: Vec3, n: Vec3, uv: readonly [number, number] = [0, 0]): number {
    this.pos.push(p[0], p[1], p[2]);
    this.nrm.push(n[0], n[1], n[2]);
    this.uv.push(uv[0], uv[1]);
    return this.vertexCount - 1;
  }

  /** Adds a triangle; a, b, c must be counter-clockwise seen from outside. */
  triangle(a: number, b: number, c: number): void {
    this.idx.push(a, b, c);
  }

  /**
   * Adds a flat-shaded planar quad p0..p3 (counter-clockwise seen from the
   * side it faces), with uvs spanning the unit square.
   */
  quad(p0: Vec3, p1: Vec3, p2: Vec3, p3: Vec3): void {
    const n = v3.normalize(v3.cross(v3.sub(p1, p0), v3.sub(p3, p0)));
    const a = this.vertex(p0, n, [0, 1]);
    const b = this.vertex(p1, n, [1, 1]);
    const c = this.vertex(p2, n, [1, 0]);
    const d = this.vertex(p3, n, [0, 0]);
    this.triangle(a, b, c);
    this.triangle(a, c, d);
  }

  /**
   * Adds a flat-shaded hexahedron. Corner `k` has local coordinates
   * (k & 1, (k >> 1) & 1, (k >> 2) & 1) of a box; the corners may be any
   * convex deformation of it. Faces listed in `skip` (by outward axis
   * '-x' ... '+z') are left out, e.g. one hidden against another part.
   */
  box(c: readonly Vec3[], skip: readonly string[] = []): void {
    // Faces as corner loops, counter-clockwise for a right-handed frame.
    const faces: Record<string, [number, number, number, number]> = {
      '-x': [0, 4, 6, 2],
      '+x': [1, 3, 7, 5],
      '-y': [0, 1, 5, 4],
      '+y': [2, 6, 7, 3],
      '-z': [0, 2, 3, 1],
      '+z': [4, 5, 7, 6],
    };
    // A mirrored (left-handed) corner frame turns every face inside out.
    const handed = v3.dot(
      v3.cross(v3.sub(c[1], c[0]), v3.sub(c[2], c[0])),
      v3.sub(c[4], c[0]),
    );
    for (const [key, f] of Object.entries(faces)) {
      if (skip.includes(key)) continue;
      const [a, b, d, e] = handed >= 0 ? f : [f[3], f[2], f[1], f[0]];
      this.quad(c[a], c[b], c[d], c[e]);
    }
  }

  /** Freezes the mesh into a GLB primitive. */
  toPrimitive(material: number, withUv = false): GlbPrimitive {
    return {
      positions: Float32Array.from(this.pos),
      normals: Float32Array.from(this.nrm),
      texcoords: withUv ? Float32Array.from(this.uv) : undefined,
      indices: Uint32Array.from(this.idx),
      material,
    };
  }
}

/**
 * Mirrors a primitive through the x = 0 plane. Triangle order is reversed
 * so faces stay counter-clockwise seen from outside.
 */
export function mirrorX(p: GlbPrimitive): GlbPrimitive {
  const positions = Float32Array.from(p.positions);
  const normals = Float32Array.from(p.normals);
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] = -positions[i];
    normals[i] = -normals[i];
  }
  const indices = Uint32Array.from(p.indices);
  for (let i = 0; i < indices.length; i += 3) {
    const t = indices[i + 1];
    indices[i + 1] = indices[i + 2];
    indices[i + 2] = t;
  }
  return {
    positions,
    normals,
    texcoords: p.texcoords ? Float32Array.from(p.texcoords) : undefined,
    indices,
    material: p.material,
  };
}
