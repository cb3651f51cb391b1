/**
 * The procedural car's materials. The renderer repaints and swaps them by
 * name, so the names are part of the contract; colours are linear.
 */
import type { GlbMaterial } from './glb-types';

/** Material names used by the procedural car. */
export type CarMaterialName =
  | 'paint'
  | 'glass'
  | 'trim_black'
  | 'headlamp'
  | 'taillamp'
  | 'tyre'
  | 'rim'
  | 'plate'
  | 'plate_band'
  | 'underbody'
  | 'panel_gap'
  | 'trim_chrome';

/** All car materials, in the order they are written to the GLB. */
export const CAR_MATERIALS: readonly GlbMaterial[] = [
  {
    // Near-white so the renderer's repaint multiplies cleanly.
    name: 'paint',
    baseColorFactor: [0.8, 0.8, 0.8, 1],
    metallicFactor: 0.3,
    roughnessFactor: 0.35,
    clearcoat: { factor: 1, roughness: 0.03 },
  },
  {
    // Opaque and very dark: reads as tinted glass without transparency.
    name: 'glass',
    baseColorFactor: [0.01, 0.012, 0.015, 1],
    metallicFactor: 0,
    roughnessFactor: 0.05,
  },
  {
    name: 'trim_black',
    baseColorFactor: [0.02, 0.02, 0.02, 1],
    metallicFactor: 0,
    roughnessFactor: 0.5,
  },
  {
    // A chrome reflector behind a clear lens: mirror-like, so it shows the
    // sky and the ground rather than reading as grey plastic.
    name: 'headlamp',
    baseColorFactor: [0.9, 0.9, 0.92, 1],
    metallicFactor: 0.85,
    roughnessFactor: 0.12,
    emissiveFactor: [0.04, 0.04, 0.037],
  },
  {
    name: 'taillamp',
    baseColorFactor: [0.35, 0.004, 0.004, 1],
    metallicFactor: 0,
    roughnessFactor: 0.15,
    emissiveFactor: [0.12, 0, 0],
  },
  {
    name: 'tyre',
    baseColorFactor: [0.025, 0.025, 0.025, 1],
    metallicFactor: 0,
    roughnessFactor: 0.9,
  },
  {
    name: 'rim',
    baseColorFactor: [0.75, 0.75, 0.75, 1],
    metallicFactor: 1,
    roughnessFactor: 0.3,
  },
  {
    name: 'plate',
    baseColorFactor: [0.9, 0.9, 0.88, 1],
    metallicFactor: 0,
    roughnessFactor: 0.5,
  },
  {
    name: 'plate_band',
    baseColorFactor: [0.0, 0.04, 0.35, 1],
    metallicFactor: 0,
    roughnessFactor: 0.5,
  },
  {
    name: 'underbody',
    baseColorFactor: [0.05, 0.05, 0.05, 1],
    metallicFactor: 0,
    roughnessFactor: 0.8,
  },
  {
    // Shut lines and handle recesses: the shadowed gap between panels.
    name: 'panel_gap',
    baseColorFactor: [0.008, 0.008, 0.008, 1],
    metallicFactor: 0,
    roughnessFactor: 0.7,
  },
  {
    // Grille slats: satin chrome.
    name: 'trim_chrome',
    baseColorFactor: [0.7, 0.7, 0.72, 1],
    metallicFactor: 1,
    roughnessFactor: 0.22,
  },
];

/** Index of a material in `CAR_MATERIALS`. */
export function materialIndex(name: CarMaterialName): number {
  const i = CAR_MATERIALS.findIndex((m) => m.name === name);
  if (i < 0) throw new Error(`unknown material ${name}`);
  return i;
}

/** Material of a body panel, from its part name. */
export function bodyPartMaterial(part: string): CarMaterialName {
  if (part === 'underbody') return 'underbody';
  if (part === 'grille' || part.startsWith('pillar_b_')) return 'trim_black';
  if (part.startsWith('headlamp_')) return 'headlamp';
  if (part.startsWith('taillamp_')) return 'taillamp';
  if (
    part === 'windshield' ||
    part === 'rear_window' ||
    part.startsWith('window_')
  ) {
    return 'glass';
  }
  return 'paint';
}
