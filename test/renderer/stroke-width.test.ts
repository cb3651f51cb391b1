import { Matrix, Vector3 } from '@babylonjs/core';
import { describe, expect, it } from 'vitest';
import { capStrokeWidths, type DamageEntry } from '../../src/renderer/damage-field';

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
