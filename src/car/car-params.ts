/**
 * Parameters of the procedural car and the built-in body styles.
 *
 * All lengths are metres, angles degrees. The car stands on y = 0 with its
 * front towards +z; see `buildProceduralCar` for the full convention.
 */

/** Body styles the generator knows; they differ in the rear end. */
export type BodyStyle = 'sedan' | 'hatchback' | 'suv';

/** Shape of one procedural car. */
export interface ProceduralCarParams {
  /** Saloon with a separate boot, or a car with a tailgate. */
  readonly bodyStyle: BodyStyle;
  /** Bumper to bumper along z, excluding licence plates, metres. */
  readonly length: number;
  /** Body width along x, excluding mirrors, metres. */
  readonly width: number;
  /** Ground to roof top along y, metres. */
  readonly height: number;
  /** Front axle to rear axle, metres. */
  readonly wheelbase: number;
  /** Front axle to the front bumper, metres. */
  readonly frontOverhang: number;
  /** Distance between the left and right tyre centre planes, metres. */
  readonly track: number;
  /** Outer tyre radius, metres. */
  readonly wheelRadius: number;
  /** Tyre section width, metres. */
  readonly tyreWidth: number;
  /** Radius of the visible rim face, metres. */
  readonly rimRadius: number;
  /** Height of the flat underbody above the ground, metres. */
  readonly groundClearance: number;
  /** Bonnet top at its leading edge, metres above ground. */
  readonly hoodFrontHeight: number;
  /** Bonnet top at the windscreen base, metres above ground. */
  readonly cowlHeight: number;
  /** Side-window sill (belt line) height, metres above ground. */
  readonly beltHeight: number;
  /** Boot lid / tailgate top at the tail, metres above ground. */
  readonly deckHeight: number;
  /** Front bumper to the windscreen base along z, metres. */
  readonly hoodLength: number;
  /** Windscreen angle from the vertical, degrees (~60 for a saloon). */
  readonly windscreenRake: number;
  /** Flat-ish roof length between windscreen and rear window, metres. */
  readonly roofLength: number;
  /** Rear window angle from the vertical, degrees. */
  readonly rearWindowRake: number;
  /** Inward lean of the side windows from the vertical, degrees. */
  readonly tumblehome: number;
  /** Wheel arch radius minus wheel radius, metres. */
  readonly archClearance: number;
  /** Height of the front licence plate centre, metres. */
  readonly frontPlateHeight: number;
  /** Height of the rear licence plate centre, metres. */
  readonly rearPlateHeight: number;
  /** Body cross-sections between the two end caps (detail level). */
  readonly bodyStations: number;
  /** Segments around each wheel (detail level). */
  readonly wheelSegments: number;
}

/** A mid-size four-door saloon, about 4.6 x 1.8 x 1.45 m. */
export const DEFAULT_SEDAN: ProceduralCarParams = Object.freeze({
  bodyStyle: 'sedan',
  length: 4.6,
  width: 1.8,
  height: 1.45,
  wheelbase: 2.7,
  frontOverhang: 0.9,
  track: 1.56,
  wheelRadius: 0.33,
  tyreWidth: 0.225,
  rimRadius: 0.23,
  groundClearance: 0.14,
  hoodFrontHeight: 0.74,
  cowlHeight: 0.93,
  beltHeight: 0.98,
  deckHeight: 1.04,
  hoodLength: 1.15,
  windscreenRake: 61,
  roofLength: 1.0,
  rearWindowRake: 63,
  tumblehome: 22,
  archClearance: 0.045,
  frontPlateHeight: 0.42,
  rearPlateHeight: 0.5,
  bodyStations: 84,
  wheelSegments: 48,
});

/** A compact five-door hatchback, about 4.25 x 1.78 x 1.46 m. */
export const DEFAULT_HATCHBACK: ProceduralCarParams = Object.freeze({
  ...DEFAULT_SEDAN,
  bodyStyle: 'hatchback',
  length: 4.25,
  width: 1.78,
  height: 1.46,
  wheelbase: 2.62,
  frontOverhang: 0.86,
  track: 1.54,
  wheelRadius: 0.32,
  tyreWidth: 0.205,
  rimRadius: 0.215,
  hoodFrontHeight: 0.75,
  cowlHeight: 0.94,
  beltHeight: 0.99,
  deckHeight: 1.06,
  hoodLength: 1.0,
  windscreenRake: 60,
  roofLength: 1.72,
  rearWindowRake: 42,
  tumblehome: 20,
  rearPlateHeight: 0.6,
});

/** A mid-size SUV, about 4.7 x 1.9 x 1.7 m. */
export const DEFAULT_SUV: ProceduralCarParams = Object.freeze({
  ...DEFAULT_SEDAN,
  bodyStyle: 'suv',
  length: 4.7,
  width: 1.9,
  height: 1.7,
  wheelbase: 2.8,
  frontOverhang: 0.92,
  track: 1.62,
  wheelRadius: 0.37,
  tyreWidth: 0.235,
  rimRadius: 0.245,
  groundClearance: 0.2,
  hoodFrontHeight: 0.96,
  cowlHeight: 1.1,
  beltHeight: 1.14,
  deckHeight: 1.2,
  hoodLength: 1.15,
  windscreenRake: 58,
  roofLength: 1.9,
  rearWindowRake: 30,
  tumblehome: 18,
  archClearance: 0.05,
  frontPlateHeight: 0.55,
  rearPlateHeight: 0.7,
});

/** The preset for a body style. */
export function defaultParams(style: BodyStyle): ProceduralCarParams {
  switch (style) {
    case 'sedan':
      return DEFAULT_SEDAN;
    case 'hatchback':
      return DEFAULT_HATCHBACK;
    case 'suv':
      return DEFAULT_SUV;
  }
}
