/**
 * Every default of a scene config, in one place. A config that names only
 * its models renders a sensible, varied dataset.
 */
import type { CrackSpec, DentSpec, DiscDamageSpec, Range, ScratchSpec } from './scene-config';

export const DEFAULTS = {
  name: 'dataset',
  seed: 1,
  finish: 'metallic',
  dent: { count: [0, 2], radiusCm: [4, 14], depthMm: [6, 25], crease: 0.25, creaseLength: [2, 4] } satisfies DentSpec,
  scratch: {
    count: [0, 2],
    lengthCm: [12, 45],
    widthMm: [4, 12],
    curvature: [0, 0.35],
    layers: { clear_coat: 0.5, primer: 0.3, bare_metal: 0.2 },
  } satisfies ScratchSpec,
  crack: { count: [0, 1], lengthCm: [8, 25], widthMm: [1, 3], branches: [0, 2] } satisfies CrackSpec,
  glass_shatter: { count: [0, 1], radiusCm: [8, 25] } satisfies DiscDamageSpec,
  lamp_broken: { count: [0, 1], radiusCm: [3, 8] } satisfies DiscDamageSpec,
  tire_flat: { count: [0, 1], deflation: [0.5, 0.9] },
  lighting: {
    environment: 'sky:clear',
    environmentIntensity: 1,
    environmentRotationDeg: [0, 360],
    exposure: 1,
    sun: { azimuthDeg: [0, 360], elevationDeg: [25, 65], intensity: [2.5, 4] },
    lamps: { count: [1, 2], distanceM: [3, 9], heightM: [4.5, 7], intensity: [150, 300], kelvin: [2000, 5500] },
  },
  background: { type: 'environment', ground: 'asphalt' },
  view: {
    azimuthDeg: [0, 360],
    elevationDeg: [4, 22],
    distanceM: null,
    fill: [0.75, 0.95],
    focalLengthMm: [26, 50],
    targetHeightM: null,
    rollDeg: 0,
    frame: 'car',
    heightM: null,
  },
  image: { width: 640, height: 480, format: 'png', quality: 92, supersample: 2, blur: 0, noise: 0 },
  samples: 1,
  placement: 'visible',
  annotations: { segmentation: 'rle', minVisiblePixels: 16, small: 'ignore', minVisibleChange: 0.5, dentLabelFraction: 0.001 },
} as const;

/** Distance of a damage close-up when its view gives none: an arm's length or two, in metres. */
export const CLOSE_UP_DISTANCE_M: Range = [0.6, 1.4];
