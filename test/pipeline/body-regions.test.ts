import { Vector3 } from '@babylonjs/core';
import { describe, expect, it } from 'vitest';
import { bodyRegion } from '../../src/renderer/body-regions';

// A 2 x 1.5 x 4.5 m car: x -1..1 (left at -x), y 0..1.5, z -2.25..2.25 (front at +z).
const min = new Vector3(-1, 0, -2.25);
const max = new Vector3(1, 1.5, 2.25);
const at = (x: number, y: number, z: number, n: [number, number, number]) => bodyRegion(new Vector3(x, y, z), new Vector3(...n), min, max);

describe('panel of a one-mesh body', () => {
  it('names panels by position and facing', () => {
    expect(at(0, 1.45, -0.2, [0, 1, 0])).toBe('roof'); // up 0.97, facing up
    expect(at(0, 0.9, 1.6, [0, 0.9, 0.3])).toBe('hood'); // along 0.86, up 0.6
    expect(at(0, 0.9, -1.9, [0, 0.9, -0.3])).toBe('trunk'); // along 0.08, facing up
    expect(at(0.2, 0.4, 2.2, [0, 0, 1])).toBe('front_bumper'); // along 0.99, up 0.27
    expect(at(-0.2, 0.4, -2.2, [0, 0, -1])).toBe('rear_bumper');
    expect(at(-0.95, 0.6, 0.5, [-1, 0, 0])).toBe('door_front_left'); // along 0.61, left side
    expect(at(0.95, 0.6, -0.5, [1, 0, 0])).toBe('door_rear_right'); // along 0.39, right
    expect(at(0.95, 0.6, 1.5, [1, 0, 0])).toBe('fender_front_right'); // along 0.83
    expect(at(-0.95, 0.6, -1.5, [-1, 0, 0])).toBe('fender_rear_left'); // along 0.17
  });
});
