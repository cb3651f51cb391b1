import { Matrix, Vector3 } from '@babylonjs/core';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/grid/random';
import { capStrokeWidths, entryReach, type DamageEntry } from '../../src/renderer/damage-field';

describe('capStrokeWidths', () => {
  // A camera at the origin looking along +z, 40 degrees high, 640 x 480 samples.
  const fov = (40 * Math.PI) / 180;
  const view = Matrix.LookAtLH(Vector3.Zero(), new Vector3(0, 0, 1), Vector3.Up());
  const projection = Matrix.PerspectiveFovLH(fov, 640 / 480, 0.1, 100);
  const stroke = (type: 2 | 3, aw: number, near: number, far: number): DamageEntry => ({
    type, instance: 0, labelFraction: 0, seed: 0, a: [-0.1, 0, near], aw, b: [0.1, 0.05, far], bw: 0, normal: [0, 0, -1],
  });

  it('caps a stroke at 0.6 of four times twice the face-on footprint at its far end, 3 cm further away', () => {
    const entries = [stroke(2, 0.002, 5, 6), stroke(3, 0.0005, 2, 1.5)];
    capStrokeWidths(entries, view, projection, 640, 480);
    // One sample of a plane facing the camera at depth z spans 2 z tan(fov / 2) / 480 metres.
    const footprint = (z: number) => (2 * z * Math.tan(fov / 2)) / 480;
    // Babylon's matrices are float32: equal to about 1e-7 relative.
    expect(entries[0].nw! / (0.6 * 4 * 2 * footprint(6.03))).toBeCloseTo(1, 6);
    expect(entries[1].nw! / (0.6 * 4 * 2 * footprint(2.03))).toBeCloseTo(1, 6);
  });

  it('keeps a stroke wider than the cap at its own half width, and leaves other damage alone', () => {
    const wide = stroke(2, 0.05, 1, 1);
    const dent: DamageEntry = { type: 1, instance: 1, labelFraction: 0, seed: 0, a: [0, 0, 3], aw: 0.1, b: [0, 0, -1], bw: 0.01, normal: [1, 0, 0], nw: 2 };
    capStrokeWidths([wide, dent], view, projection, 640, 480);
    expect(wide.nw).toBe(0.05);
    expect(dent.nw).toBe(2);
  });
});

describe('entryReach', () => {
  const random = new Random(11);
  const inside = (reach: number[], p: Vector3) => Vector3.Distance(p, new Vector3(reach[0], reach[1], reach[2])) <= reach[3];
  /** Unit vectors u, v across `n`. */
  const across = (n: Vector3): [Vector3, Vector3] => {
    const u = Vector3.Cross(n, Math.abs(n.y) < 0.9 ? Vector3.Up() : Vector3.Right()).normalize();
    return [u, Vector3.Cross(n, u)];
  };
  // Points on the edge of each type's test, as the shader states it, pushed just inside.
  const edge = () => 1 - 1e-9 * random.next();

  it('holds every point of an elongated dent, a stroke, a break and a flat tyre', () => {
    const n = new Vector3(0.3, 0.8, -0.5).normalize();
    const [crease, side] = across(n);
    const dent: DamageEntry = { type: 1, instance: 0, labelFraction: 0, seed: 0, a: [0.2, 0.9, -0.4], aw: 0.12, b: [n.x, n.y, n.z], bw: 0.02, normal: [crease.x, crease.y, crease.z], nw: 2 };
    const scratch: DamageEntry = { type: 2, instance: 1, labelFraction: 0, seed: 0, a: [-0.5, 0.9, 0], aw: 0.003, b: [-0.1, 0.95, 0.2], bw: 0, normal: [0, 1, 0], nw: 0.02 };
    const glass: DamageEntry = { type: 4, instance: 2, labelFraction: 0, seed: 0, a: [1, 1.2, 0], aw: 0.2, b: [1, 0, 0], bw: 0, normal: [1, 0, 0] };
    const tyre: DamageEntry = { type: 6, instance: 3, labelFraction: 0, seed: 0, a: [-0.8, 0.33, 1.3], aw: 0.33, b: [0, 0.11, 0.08], bw: 0, normal: [0, 1, 0] };
    for (let i = 0; i < 3000; i++) {
      const angle = random.uniform(0, 2 * Math.PI);
      // Dent: along^2 / (r e)^2 + across^2 / r^2 < 1, height within r / 2.
      const onDent = Vector3.FromArray(dent.a)
        .add(crease.scale(Math.cos(angle) * dent.aw * 2 * edge()))
        .add(side.scale(Math.sin(angle) * dent.aw * edge()))
        .add(n.scale(0.5 * dent.aw * (random.next() < 0.5 ? -1 : 1)));
      expect(inside(entryReach(dent), onDent)).toBe(true);
      // Stroke: within the widest half width of a point on the segment, 3 cm along the normal.
      const on = Vector3.Lerp(Vector3.FromArray(scratch.a), Vector3.FromArray(scratch.b), random.next());
      const onStroke = on.add(new Vector3(Math.cos(angle) * scratch.nw!, 0.03 * (random.next() < 0.5 ? -1 : 1), Math.sin(angle) * scratch.nw!).scale(edge()));
      expect(inside(entryReach(scratch), onStroke)).toBe(true);
      // Break: within r of the centre across the normal, r / 4 along it.
      const [u, v] = across(new Vector3(1, 0, 0));
      const onGlass = Vector3.FromArray(glass.a).add(u.scale(Math.cos(angle) * 0.2 * edge())).add(v.scale(Math.sin(angle) * 0.2 * edge())).add(new Vector3(0.05, 0, 0));
      expect(inside(entryReach(glass), onGlass)).toBe(true);
      // Tyre: |x| < 1.8 half widths, |(y, z)| < 1.3 r.
      const onTyre = Vector3.FromArray(tyre.a).add(new Vector3(1.8 * 0.11 * edge(), Math.sin(angle) * 1.3 * 0.33 * edge(), Math.cos(angle) * 1.3 * 0.33 * edge()));
      expect(inside(entryReach(tyre), onTyre)).toBe(true);
    }
    // And no bigger than needed, less the float slack: a far point is out.
    expect(inside(entryReach(dent), Vector3.FromArray(dent.a).add(crease.scale(0.12 * Math.hypot(2, 0.5) + 0.01)))).toBe(false);
  });
});

