/**
 * The project's own cars as GLB bytes, built in code from a body style, so
 * the default config needs no model files and loads through the same glTF
 * path as any third-party car.
 */
import { buildProceduralCar, DEFAULT_HATCHBACK, DEFAULT_SEDAN, DEFAULT_SUV } from './procedural-car';
import { writeGlb } from './glb-writer';

const STYLES = { sedan: DEFAULT_SEDAN, hatchback: DEFAULT_HATCHBACK, suv: DEFAULT_SUV } as const;

export function proceduralCarGlb(style: keyof typeof STYLES): Uint8Array {
  return writeGlb(buildProceduralCar(STYLES[style]));
}
