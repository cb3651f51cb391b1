import { Matrix, Vector3 } from '@babylonjs/core';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/grid/random';
import type { PixelRect } from '../../src/protocol';
import { clipRect, damageRect, labelOnInnerEdge } from '../../src/renderer/damage-bounds';
import type { DamageEntry } from '../../src/renderer/damage-field';

const W = 320;
const H = 240;
const S = 2;

/** A camera at `eye` looking at `target`, 40 degrees vertical field of view, as a view-projection matrix. */
function camera(eye: Vector3, target = Vector3.Zero()): Matrix {
  const view = Matrix.LookAtLH(eye, target, Vector3.Up());
  return view.multiply(Matrix.PerspectiveFovLH((40 * Math.PI) / 180, W / H, 0.1, 100));
}

/** The output pixel (rows bottom-up) whose samples include world point `p`. */
function pixelOf(p: Vector3, viewProjection: Matrix): [number, number] {
  const ndc = Vector3.TransformCoordinates(p, viewProjection);
  return [Math.floor(((ndc.x + 1) / 2) * W), Math.floor(((ndc.y + 1) / 2) * H)];
}

/** Whether pixel (x, y) lies in `rect` but off its outermost ring. */
function strictlyInside(rect: PixelRect, [x, y]: [number, number]): boolean {
  return x > rect.x && x < rect.x + rect.width - 1 && y > rect.y && y < rect.y + rect.height - 1;
}

/** Unit vectors u, v across `n`. */
function across(n: Vector3): [Vector3, Vector3] {
  const u = Vector3.Cross(n, Math.abs(n.y) < 0.9 ? Vector3.Up() : Vector3.Right()).normalize();
  return [u, Vector3.Cross(n, u)];
}

const xyz = (v: Vector3): [number, number, number] => [v.x, v.y, v.z];

describe('damageRect', () => {
  const random = new Random(7);
  const views = [new Vector3(0, 1, -4), new Vector3(3, 2.5, 2), new Vector3(-2.2, 0.3, -1.5)].map((eye) => camera(eye));

  it('holds every point a dent labels, elongated and seen from any side', () => {
    const normal = new Vector3(0.2, 0.3, -1).normalize();
    const [crease, side] = across(normal);
    const dent: DamageEntry = {
      type: 1, instance: 0, labelFraction: 0.001, seed: 0,
      a: [0.1, 0.2, -0.3], aw: 0.15, b: xyz(normal), bw: 0.02, normal: xyz(crease), nw: 2.5,
    };
    for (const vp of views) {
      const rect = damageRect([dent], 0, vp, W, H, S)!;
      for (let i = 0; i < 4000; i++) {
        // Inside the bowl: (along / (r e))^2 + (across / r)^2 < 1, height within r / 2.
        const angle = random.uniform(0, 2 * Math.PI);
        const rho = Math.sqrt(random.next());
        const p = Vector3.FromArray(dent.a)
          .add(crease.scale(rho * Math.cos(angle) * dent.aw * 2.5))
          .add(side.scale(rho * Math.sin(angle) * dent.aw))
          .add(normal.scale(random.uniform(-0.5, 0.5) * dent.aw));
        expect(strictlyInside(rect, pixelOf(p, vp))).toBe(true);
      }
    }
  });

  it('holds every point of a glass break and of a flat tyre, but not much more', () => {
    const normal = new Vector3(-1, 0.4, 0).normalize();
    const [u, v] = across(normal);
    const glass: DamageEntry = { type: 4, instance: 1, labelFraction: 0, seed: 3, a: [-0.8, 1.1, 0.2], aw: 0.2, b: xyz(normal), bw: 0, normal: xyz(normal) };
    const tyre: DamageEntry = { type: 6, instance: 2, labelFraction: 0, seed: 3, a: [-0.8, 0.33, 1.3], aw: 0.33, b: [0, 0.11, 0.08], bw: 0, normal: [0, 1, 0] };
    for (const vp of views) {
      const glassRect = damageRect([glass, tyre], 1, vp, W, H, S)!;
      const tyreRect = damageRect([glass, tyre], 2, vp, W, H, S)!;
      for (let i = 0; i < 4000; i++) {
        const angle = random.uniform(0, 2 * Math.PI);
        const rho = Math.sqrt(random.next()) * glass.aw;
        const onGlass = Vector3.FromArray(glass.a)
          .add(u.scale(rho * Math.cos(angle)))
          .add(v.scale(rho * Math.sin(angle)))
          .add(normal.scale(random.uniform(-0.25, 0.25) * glass.aw));
        expect(strictlyInside(glassRect, pixelOf(onGlass, vp))).toBe(true);
        // Below 0.15 r under the axle, within 1.3 r of it across y and z, 1.8 half widths along x.
        const r = tyre.aw;
        const dy = random.uniform(-1.3 * r, -0.15 * r);
        const dz = random.uniform(-1, 1) * Math.sqrt(Math.max(0, (1.3 * r) ** 2 - dy * dy));
        const onTyre = Vector3.FromArray(tyre.a).add(new Vector3(random.uniform(-1.8, 1.8) * tyre.b[1], dy, dz));
        expect(strictlyInside(tyreRect, pixelOf(onTyre, vp))).toBe(true);
      }
      // No wider than a cube round the sphere that holds the disc's box, plus the padding.
      const half = glass.aw * Math.hypot(1, 1, 0.25);
      const xs: number[] = [];
      for (const dx of [-half, half]) for (const dy of [-half, half]) for (const dz of [-half, half]) xs.push(pixelOf(Vector3.FromArray(glass.a).add(new Vector3(dx, dy, dz)), vp)[0]);
      expect(glassRect.width).toBeLessThanOrEqual(Math.max(...xs) - Math.min(...xs) + 5);
    }
  });

  it('holds every point a stroke labels within its widest half width, and gives no rectangle without one', () => {
    // A two-segment scratch on a panel facing up, and a crack on a side panel.
    const scratch: DamageEntry[] = [
      { type: 2, instance: 3, labelFraction: 0, seed: 1, a: [-0.4, 0.9, 0], aw: 0.004, b: [-0.2, 0.9, 0.1], bw: 0, normal: [0, 1, 0], nw: 0.012 },
      { type: 2, instance: 3, labelFraction: 0, seed: 1, a: [-0.2, 0.9, 0.1], aw: 0.004, b: [0.1, 0.92, 0.15], bw: 0, normal: [0, 1, 0], nw: 0.012 },
    ];
    const crack: DamageEntry = { type: 3, instance: 4, labelFraction: 0, seed: 1, a: [1.2, 0.5, -0.4], aw: 0.001, b: [1.2, 0.6, -0.3], bw: 0, normal: [1, 0, 0], nw: 0.02 };
    const entries = [...scratch, crack];
    for (const vp of views) {
      for (const [instance, segments] of [[3, scratch], [4, [crack]]] as const) {
        const rect = damageRect(entries, instance, vp, W, H, S)!;
        for (let i = 0; i < 3000; i++) {
          // The label test: within the widest half width of the line across
          // the normal, within 3 cm along it.
          const segment = segments[random.int(0, segments.length - 1)];
          const normal = Vector3.FromArray(segment.normal);
          const [u, v] = across(normal);
          const on = Vector3.Lerp(Vector3.FromArray(segment.a), Vector3.FromArray(segment.b), random.next());
          const angle = random.uniform(0, 2 * Math.PI);
          const p = on
            .add(u.scale(Math.cos(angle) * segment.nw! * random.next()))
            .add(v.scale(Math.sin(angle) * segment.nw! * random.next()))
            .add(normal.scale(random.uniform(-0.03, 0.03)));
          expect(strictlyInside(rect, pixelOf(p, vp))).toBe(true);
        }
        // A short stroke takes a small part of the frame.
        expect(rect.width * rect.height).toBeLessThan((W * H) / 16);
      }
    }
    const unset = entries.map((e) => ({ ...e, nw: undefined }));
    expect(damageRect(unset, 3, views[0], W, H, S)).toBeNull();
    expect(damageRect(unset, 4, views[0], W, H, S)).toBeNull();
  });

  it('gives no rectangle for damage reaching behind the camera, and an empty one for an unknown instance', () => {
    const vp = camera(new Vector3(0, 1, -4));
    const dent: DamageEntry = { type: 1, instance: 0, labelFraction: 0.001, seed: 0, a: [0, 1, -4.05], aw: 0.2, b: [0, 0, -1], bw: 0.02, normal: [1, 0, 0], nw: 1 };
    expect(damageRect([dent], 0, vp, W, H, S)).toBeNull();
    expect(damageRect([dent], 5, vp, W, H, S)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });

  it('lines the rectangle up with whole pixels whatever the supersampling', () => {
    const vp = camera(new Vector3(0, 1, -4));
    const dent: DamageEntry = { type: 1, instance: 0, labelFraction: 0.001, seed: 0, a: [0.3, 0.8, -1], aw: 0.1, b: [0, 0, -1], bw: 0.02, normal: [1, 0, 0], nw: 1 };
    for (const s of [1, 2, 3]) {
      const rect = damageRect([dent], 0, vp, W, H, s)!;
      for (const v of Object.values(rect)) expect(Number.isInteger(v)).toBe(true);
    }
  });
});

describe('clipRect', () => {
  it('cuts a rectangle to the frame and empties one outside it', () => {
    expect(clipRect({ x: -3, y: 5, width: 10, height: 300 }, 320, 240)).toEqual({ x: 0, y: 5, width: 7, height: 235 });
    expect(clipRect({ x: 400, y: 5, width: 10, height: 10 }, 320, 240)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});

describe('labelOnInnerEdge', () => {
  const rect = { x: 10, y: 0, width: 5, height: 4 };
  const only = (px: number, py: number) => (p: number) => p === py * rect.width + px;

  it('sees a label on an edge inside the target', () => {
    expect(labelOnInnerEdge(rect, 100, 100, only(0, 2))).toBe(true);
    expect(labelOnInnerEdge(rect, 100, 100, only(4, 1))).toBe(true);
    expect(labelOnInnerEdge(rect, 100, 100, only(2, 3))).toBe(true);
  });

  it('ignores labels inside the rectangle and on the edge it shares with the target', () => {
    expect(labelOnInnerEdge(rect, 100, 100, only(2, 1))).toBe(false);
    // Row 0 is the target's own bottom edge.
    expect(labelOnInnerEdge(rect, 100, 100, only(2, 0))).toBe(false);
  });
});
