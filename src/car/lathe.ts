/**
 * Surfaces of revolution about the x axis (a wheel's axle), used for the
 * tyre and the rim.
 */
import type { Vec3 } from './glb-types';
import type { MeshBuilder } from './mesh-builder';

/** A profile point: radius from the axle and offset along it, metres. */
export interface LathePoint {
  readonly r: number;
  readonly x: number;
}

/**
 * Point at angle `theta` around the axle; theta = 0 is straight down so
 * that a tyre's lowest vertex lies exactly on the ground.
 */
export function aroundAxle(r: number, x: number, theta: number): Vec3 {
  return [x, -r * Math.cos(theta), r * Math.sin(theta)];
}

/**
 * Sweeps a profile once around the x axis in `segments` steps.
 *
 * The profile must run so that the outside of the surface is on its left
 * in the (x, r) plane: e.g. a tyre goes up the inner (-x) sidewall, across
 * the tread towards +x and down the outer sidewall. Normals are smooth
 * along the profile unless `creases` lists point indices whose two sides
 * are shaded flat (both neighbours get their own copy of the point).
 */
export function lathe(
  mesh: MeshBuilder,
  profile: readonly LathePoint[],
  segments: number,
  creases: readonly number[] = [],
): void {
  // Split the profile into smooth runs at creases.
  const runs: LathePoint[][] = [];
  let run: LathePoint[] = [profile[0]];
  for (let k = 1; k < profile.length; k++) {
    run.push(profile[k]);
    if (creases.includes(k) && k < profile.length - 1) {
      runs.push(run);
      run = [profile[k]];
    }
  }
  runs.push(run);
  for (const r of runs) latheRun(mesh, r, segments);
}

function latheRun(
  mesh: MeshBuilder,
  profile: readonly LathePoint[],
  segments: number,
): void {
  const n = profile.length;
  // Profile normal in (x, r): the tangent turned a quarter turn, so that
  // travelling +x along a tread gives +r (outwards).
  const normal2 = profile.map((_, k) => {
    const a = profile[Math.max(0, k - 1)];
    const b = profile[Math.min(n - 1, k + 1)];
    const dx = b.x - a.x;
    const dr = b.r - a.r;
    const len = Math.hypot(dx, dr) || 1;
    return { x: -dr / len, r: dx / len };
  });
  const base = mesh.vertexCount;
  for (let i = 0; i <= segments; i++) {
    const th = (2 * Math.PI * i) / segments;
    const c = Math.cos(th);
    const s = Math.sin(th);
    for (let k = 0; k < n; k++) {
      const p = profile[k];
      const m = normal2[k];
      mesh.vertex(aroundAxle(p.r, p.x, th), [m.x, -m.r * c, m.r * s], [
        i / segments,
        k / (n - 1),
      ]);
    }
  }
  for (let i = 0; i < segments; i++) {
    for (let k = 0; k + 1 < n; k++) {
      const a = base + i * n + k; // (k, theta_i)
      const b = a + 1; // (k + 1, theta_i)
      const c = a + n; // (k, theta_i+1)
      const d = c + 1;
      // Skip triangles collapsed onto the axle (r = 0 at both ends).
      if (profile[k].r > 0 || profile[k + 1].r > 0) {
        if (profile[k].r > 0) mesh.triangle(a, b, c);
        if (profile[k + 1].r > 0) mesh.triangle(b, d, c);
      }
    }
  }
}
