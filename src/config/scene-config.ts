/**
 * The scene config as the rest of dentfarm sees it once loaded: every
 * default filled in, every path absolute, every colour parsed.
 */
import type { GroundKind, PaintFinish } from '../protocol';

/** A fixed value or a [min, max] range a job draws from. */
export type Range = number | [number, number];

export interface PaintChoice {
  name: string;
  hex: string;
  linear: [number, number, number];
  finish: PaintFinish;
}

/** A paint of a palette, drawn per job with chances in proportion to `weight`. */
export interface WeightedPaint extends PaintChoice {
  weight: number;
}

export interface LightingChoice {
  name: string;
  /** A built-in sky ("sky:clear", "sky:overcast", "studio") or an absolute file path. */
  environment: string;
  environmentIntensity: Range;
  environmentRotationDeg: Range;
  exposure: Range;
  sun: { azimuthDeg: Range; elevationDeg: Range; intensity: Range } | null;
  /** Street lamps round the car, each at a drawn azimuth; null for none. */
  lamps: LampSpec | null;
}

/** Street lamps of a lighting: how many, where, how bright and what colour. */
export interface LampSpec {
  count: Range;
  /** Horizontal distance from the car centre, metres. */
  distanceM: Range;
  /** Height of the lamp head above the ground, metres. */
  heightM: Range;
  /** Luminous intensity in Babylon's photometric units (about candela). */
  intensity: Range;
  /** Colour temperature: about 2000 K sodium, 3000 to 4500 K LED. */
  kelvin: Range;
}

export type BackgroundChoice =
  | ({ type: 'environment'; name: string; ground: GroundKind } & Pairing)
  | ({ type: 'color'; name: string; hex: string; linear: [number, number, number]; ground: GroundKind } & Pairing)
  | ({ type: 'image'; name: string; file: string; ground: GroundKind; camera: BackplateCamera | null } & Pairing);

/** The camera a backplate photo was taken with. */
export interface BackplateCamera {
  /** Row of the photo's horizon, as a share of its height from the top. */
  horizon: number;
  /** Camera height above the ground, metres; null: the view's own, else 1.6. */
  heightM: Range | null;
  /** 35 mm-equivalent focal length; null: the view's own. */
  focalLengthMm: number | null;
  /**
   * Degrees: for a photo cut from the paired environment map, the map's
   * rotation at which a camera at azimuth 0 (looking along -z) sees the
   * photo; null: the lighting's own rotation.
   */
  environmentRotationDeg: number | null;
}

interface Pairing {
  /** Names of the lightings this background is rendered under; null: all of them. */
  lighting: string[] | null;
}

export interface ViewChoice {
  name: string;
  azimuthDeg: Range;
  elevationDeg: Range;
  /** null: fit the car in the frame. */
  distanceM: Range | null;
  fill: Range;
  focalLengthMm: Range;
  targetHeightM: Range | null;
  rollDeg: Range;
  /** Camera height above the ground (a person holding a phone: 1.2-1.7 m), instead of elevationDeg; null: use elevationDeg. */
  heightM: Range | null;
  /** "car": the whole car; "damage": a close-up of the image's first damage, from `distanceM` away. */
  frame: 'car' | 'damage';
}

export interface DentSpec {
  count: Range;
  radiusCm: Range;
  depthMm: Range;
  /** Share of dents that are creases, 0 to 1. */
  crease: number;
  /** How many times longer than wide a crease is. */
  creaseLength: Range;
}

export interface ScratchSpec {
  count: Range;
  lengthCm: Range;
  widthMm: Range;
  curvature: Range;
  /** Relative frequency of scratches through the clear coat, to the primer, to bare metal. */
  layers: { clear_coat: number; primer: number; bare_metal: number };
}

export interface CrackSpec {
  count: Range;
  lengthCm: Range;
  widthMm: Range;
  branches: Range;
}

export interface DiscDamageSpec {
  count: Range;
  radiusCm: Range;
}

export interface DamageSpecs {
  dent: DentSpec | null;
  scratch: ScratchSpec | null;
  crack: CrackSpec | null;
  glass_shatter: DiscDamageSpec | null;
  lamp_broken: DiscDamageSpec | null;
  tire_flat: { count: Range; deflation: Range } | null;
}

export interface SceneConfig {
  /** Absolute path of the config file. */
  file: string;
  name: string;
  seed: number;
  modelDirs: string[];
  models: string[];
  /** The paint axis of the grid: every job of each listed paint. Empty when a palette is drawn from. */
  paints: PaintChoice[];
  /** Paints drawn per job by weight (one grid cell, "palette"), when the config gives no paint axis. */
  palette: WeightedPaint[] | null;
  /** Per damage class, how many per image and how large; null leaves the class out. */
  damage: DamageSpecs;
  lighting: LightingChoice[];
  backgrounds: BackgroundChoice[];
  views: ViewChoice[];
  image: {
    width: number;
    height: number;
    format: 'png' | 'jpeg' | 'webp';
    /** JPEG/WebP quality, drawn per job from a range. */
    quality: Range;
    /** Gaussian blur sigma in pixels, drawn per job (0: sharp). */
    blur: Range;
    /** Sensor noise, standard deviation in 8-bit levels, drawn per job (0: none). */
    noise: Range;
    /** Samples per pixel along each axis: the page renders this many times larger and averages down. */
    supersample: number;
  };
  samples: number;
  placement: 'visible' | 'anywhere';
  annotations: {
    segmentation: 'rle' | 'polygon';
    minVisiblePixels: number;
    /** Damage under minVisiblePixels: an ignore region (iscrowd 1), or left out. */
    small: 'ignore' | 'drop';
    dentLabelFraction: number;
    /** Share of a label's pixels that must differ visibly from the undamaged twin; fainter damage is treated like small damage. 0 turns the check (and its twin render) off. */
    minVisibleChange: number;
  };
}
