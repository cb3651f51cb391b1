/**
 * Wheel geometry in the wheel's own frame: axle along x, centre at the
 * origin, the outboard face towards +x (a left wheel). Right wheels are
 * the mirror image.
 */
import type { GlbPrimitive, Vec3 } from './glb-types';
import { aroundAxle, lathe, type LathePoint } from './lathe';
import { MeshBuilder, mirrorX } from './mesh-builder';

/** Wheel dimensions, metres. */
export interface WheelSize {
  /** Outer tyre radius. */
  readonly radius: number;
  /** Tyre section width. */
  readonly width: number;
  /** Radius of the visible rim face. */
  readonly rimRadius: number;
  /** Steps around the axle. */
  readonly segments: number;
}

/** Material indices the wheel primitives use. */
export interface WheelMaterials {
  readonly tyre: number;
  readonly rim: number;
  readonly dark: number;
}

/** Primitives of one wheel: the tyre mesh and the rim mesh. */
export interface WheelPrimitives {
  readonly tyre: GlbPrimitive[];
  readonly rim: GlbPrimitive[];
}

/**
 * Rounded-rectangle tyre cross-section with slightly bulging walls, as a
 * closed loop; the last segment (the bead seat) is creased off.
 */
function tyreProfile(w: WheelSize): LathePoint[] {
  const half = w.width / 2;
  const R = w.radius;
  const bead = w.rimRadius + 0.012;
  const c = Math.min(0.035, 0.3 * half);
  const out: LathePoint[] = [];
  const wall = (r: number): number => {
    const u = (R - c - r) / (R - c - bead);
    return half * (1 - 0.08 * u * u);
  };
  const shoulder = (sign: number, reverse: boolean): LathePoint[] => {
    const pts: LathePoint[] = [];
    for (let k = 1; k < 5; k++) {
      const a = ((reverse ? 5 - k : k) / 5) * (Math.PI / 2);
      pts.push({
        r: R - c + c * Math.sin(a),
        x: sign * (half - c + c * Math.cos(a)),
      });
    }
    return pts;
  };
  for (let k = 0; k <= 4; k++) {
    const r = bead + ((R - c - bead) * k) / 4;
    out.push({ r, x: -wall(r) });
  }
  out.push(...shoulder(-1, false));
  for (let k = 0; k <= 6; k++) {
    out.push({ r: R, x: -(half - c) + (2 * (half - c) * k) / 6 });
  }
  out.push(...shoulder(1, true));
  for (let k = 4; k >= 0; k--) {
    const r = bead + ((R - c - bead) * k) / 4;
    out.push({ r, x: wall(r) });
  }
  // Close the tube along the bead seat so no view into the rim gap ever
  // sees the tyre from inside.
  out.push({ r: bead, x: -wall(bead) });
  return out;
}

/** Five tapered spokes between hub and lip, as flat-shaded boxes. */
function addSpokes(
  mesh: MeshBuilder,
  w: WheelSize,
  face: number,
  hubR: number,
): void {
  const k = w.rimRadius / 0.23; // proportions drawn for an 18" rim
  const r0 = 0.9 * hubR;
  const r1 = w.rimRadius - 0.022;
  for (let n = 0; n < 5; n++) {
    const th = (2 * Math.PI * n) / 5 + Math.PI / 5;
    const corners: Vec3[] = [];
    for (let bz = 0; bz < 2; bz++) {
      for (let by = 0; by < 2; by++) {
        for (let bx = 0; bx < 2; bx++) {
          const r = bx ? r1 : r0;
          const halfW = (bx ? 0.021 : 0.028) * k;
          const x = bz ? face - (bx ? 0.012 : 0.006) : face - 0.045;
          // Offset sideways from the spoke's centre line by halfW.
          const dth = ((by ? 1 : -1) * halfW) / r;
          corners.push(aroundAxle(r, x, th + dth));
        }
      }
    }
    mesh.box(corners, ['-z']);
  }
}

/** Builds a left wheel (outboard face towards +x). */
function leftWheel(w: WheelSize, m: WheelMaterials): WheelPrimitives {
  const tyre = new MeshBuilder();
  const profile = tyreProfile(w);
  lathe(tyre, profile, w.segments, [profile.length - 2]);

  const half = w.width / 2;
  const face = 0.8 * half;
  const rr = w.rimRadius;
  const hubR = 0.28 * rr;
  const rim = new MeshBuilder();
  lathe(rim, [
    { r: rr + 0.012, x: face - 0.025 },
    { r: rr + 0.006, x: face - 0.004 },
    { r: rr, x: face },
    { r: rr - 0.018, x: face },
    { r: rr - 0.024, x: face - 0.01 },
    { r: rr - 0.03, x: face - 0.035 },
  ], w.segments, [2, 3, 4]);
  lathe(rim, [
    { r: hubR, x: face - 0.06 },
    { r: hubR, x: face - 0.012 },
    { r: hubR - 0.01, x: face - 0.003 },
    { r: 0.35 * hubR, x: face },
    { r: 0, x: face + 0.002 },
  ], w.segments, [1]);
  addSpokes(rim, w, face, hubR);

  // Dark dish behind the spokes, plus a back plate that closes the tyre
  // from the inboard side so the wheel never looks hollow.
  const dish = new MeshBuilder();
  lathe(dish, [
    { r: rr - 0.028, x: face - 0.035 },
    { r: 0.5 * rr, x: face - 0.048 },
    { r: 0, x: face - 0.05 },
  ], w.segments);
  lathe(dish, [
    { r: 0, x: -0.9 * half },
    { r: rr + 0.012, x: -0.9 * half },
  ], w.segments);

  return {
    tyre: [tyre.toPrimitive(m.tyre)],
    rim: [rim.toPrimitive(m.rim), dish.toPrimitive(m.dark)],
  };
}

/** Builds one wheel; `side` is the car's side it is mounted on. */
export function buildWheel(
  w: WheelSize,
  m: WheelMaterials,
  side: 'left' | 'right',
): WheelPrimitives {
  const left = leftWheel(w, m);
  if (side === 'left') return left;
  return { tyre: left.tyre.map(mirrorX), rim: left.rim.map(mirrorX) };
}
