import { describe, expect, it } from 'vitest';
import { flipRows } from '../../src/pipeline/flip-rows';
import { verticalFov } from '../../src/renderer/camera-rig';

describe('row order', () => {
  it('puts the bottom row that WebGL reads first at the top', () => {
    // 2x3 image, 1 channel: rows read bottom-up as [1 2], [3 4], [5 6].
    const flipped = flipRows(new Uint8Array([1, 2, 3, 4, 5, 6]), 2, 3, 1);
    expect([...flipped]).toEqual([5, 6, 3, 4, 1, 2]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => flipRows(new Uint8Array(5), 2, 3, 1)).toThrow(/expected 6/);
  });
});

describe('35 mm-equivalent field of view', () => {
  it('matches the diagonal of a full-frame sensor', () => {
    // A 36x24 frame at 50 mm: vertical fov = 2 atan(12 / 50) = 26.99 degrees.
    expect((verticalFov(50, 36, 24) * 180) / Math.PI).toBeCloseTo(26.9915, 3);
    // 4:3 at 50 mm: diagonal half-angle tan = 21.633/50; vertical share 3/5 of the diagonal.
    const expected = 2 * Math.atan((Math.hypot(36, 24) / 2 / 50) * 0.6);
    expect(verticalFov(50, 640, 480)).toBeCloseTo(expected, 10);
  });
});

describe('fitting the car in the frame', () => {
  it('backs off until the box spans the asked share of the view', async () => {
    const { Vector3 } = await import('@babylonjs/core');
    const { fitDistance } = await import('../../src/renderer/camera-rig');
    // Cube [-1, 1]^3 seen along -z from +z with a 90 degree square view:
    // the near face corners (depth d - 1, offset 1) set the extent 1 / (d - 1);
    // for a share of 0.5, d - 1 = 2, so d = 3.
    const d = fitDistance(new Vector3(0, 0, 0), new Vector3(0, 0, 1), Math.PI / 2, 100, 100, new Vector3(-1, -1, -1), new Vector3(1, 1, 1), 0.5);
    expect(d).toBeCloseTo(3, 6);
  });
});
