/**
 * The one message the Node side and the in-page renderer exchange: a render
 * request in, pixels and instance metadata out. Everything is plain JSON so
 * it crosses the DevTools protocol unchanged. Units: metres, degrees,
 * linear RGB in [0, 1] unless a name says otherwise.
 */

/** How a model file is turned into a clean, normalised car. */
export interface ModelRules {
  /** Metres per file unit, after Babylon's glTF root conversion. */
  metresPerUnit?: number;
  /** Scale the car so its length (along the forward axis) is this many metres. */
  lengthM?: number;
  /** Axis the car's front faces, in the file's own glTF axes (right-handed, y up), e.g. "-x". */
  forward: AxisName;
  /** Node, mesh or material names (regular expressions) hidden before anything else. */
  hide: string[];
  /** Plate rules: names of plate nodes, meshes or materials, and UV regions of plates painted into textures. */
  plates: PlateRules;
  /** Materials (regular expressions on names) that carry the body paint. */
  paintMaterials: string[];
  /** Meshes (regular expressions on mesh or ancestor node names) damage may be placed on; empty means every mesh with a paint material. */
  damageMeshes: string[];
  /** Part names from mesh or node names: first matching rule wins. */
  parts: PartRule[];
}

export type AxisName = '+x' | '-x' | '+y' | '-y' | '+z' | '-z';

export interface PlateRules {
  /** Regular expressions matched against node, mesh and material names. */
  names: string[];
  /** Triangles of the named mesh whose UVs all fall inside the rectangle are removed. */
  uvRegions: { mesh: string; u: [number, number]; v: [number, number] }[];
}

export interface PartRule {
  part: string;
  /** Regular expression on the mesh name or any ancestor node name. */
  match: string;
}

export type ScratchLayer = 'clear_coat' | 'primer' | 'bare_metal';

export type PaintFinish = 'solid' | 'metallic' | 'pearl' | 'matte';

export interface PaintRequest {
  name: string;
  /** Linear RGB of the base coat, or null to keep the model's own paint. */
  linear: [number, number, number] | null;
  finish: PaintFinish;
}

export interface SunRequest {
  /** 0 = from the car's front, 90 = from its left. */
  azimuthDeg: number;
  elevationDeg: number;
  /** Illuminance-like scale; 3 is a bright day in Babylon's units. */
  intensity: number;
}

export interface LightingRequest {
  name: string;
  /** URL (served by the farm) of an .hdr or .env environment map. */
  environmentUrl: string;
  environmentIntensity: number;
  /** Rotation of the environment about the up axis. */
  environmentRotationDeg: number;
  /**
   * Set over a photo cut from this environment: the rotation at which a
   * camera looking along -z sees the photo. The renderer then turns the
   * environment with the camera's final heading (close-ups included), in
   * place of `environmentRotationDeg`, so the car reflects what surrounds
   * the photo.
   */
  environmentHeadingDeg: number | null;
  sun: SunRequest | null;
  /** Street lamps round the car; absent where the lighting has none. */
  lamps?: LampRequest[];
  /** Camera exposure multiplier applied before tone mapping. */
  exposure: number;
}

/** A street lamp: a light on a pole, shining down and towards the car. */
export interface LampRequest {
  /** Where the lamp stands seen from the car centre: 0 = in front, 90 = on its left. */
  azimuthDeg: number;
  /** Horizontal distance from the car centre, metres. */
  distanceM: number;
  /** Height of the lamp head above the ground, metres. */
  heightM: number;
  /** Luminous intensity, Babylon's photometric units (about candela). */
  intensity: number;
  /** Colour temperature, kelvin. */
  kelvin: number;
}

export type BackgroundRequest =
  | { type: 'environment'; name: string; ground: GroundKind }
  | { type: 'color'; name: string; linear: [number, number, number]; ground: GroundKind }
  | { type: 'image'; name: string; url: string; ground: GroundKind };

/**
 * `shadow`: no ground of its own, only the car's shadows, laid over a photo
 * backplate's ground. `projected`: the environment map's own ground (a
 * photographed panorama's), projected onto a floor under the car from the
 * height the panorama was taken at, with the car's shadows on it.
 */
export type GroundKind = 'asphalt' | 'concrete' | 'gravel' | 'workshop' | 'projected' | 'shadow' | 'none';

export interface CameraRequest {
  azimuthDeg: number;
  elevationDeg: number;
  /** Distance from the look-at point, or null to fit the car in the frame. */
  distanceM: number | null;
  /** Camera height above the ground; when set the elevation follows from it and the distance. */
  heightM: number | null;
  /** Row (share of the height from the top) where the horizon must fall, matching a backplate; null: look at the car. */
  horizon: number | null;
  /** Set for a close-up: after placing the damage, the camera turns to the first one from this distance (metres). */
  closeUpM: number | null;
  /** Share of the frame the car's bounding box spans in its tighter dimension when fitting (1 = edge to edge). */
  fill: number;
  /** 35 mm-equivalent focal length (36 x 24 mm sensor). */
  focalLengthMm: number;
  /** Height of the look-at point above the ground, or null for mid-height of the car. */
  targetHeightM: number | null;
  rollDeg: number;
}

/**
 * A damage placed through one point of the image instead of drawn at random:
 * the ray through pixel (x, y) of the output image (0, 0 = top-left corner,
 * pixel centres at +0.5), on the `layer`-th surface of the damage's kind the
 * ray meets (0 = the first; 1 = the one behind it, hidden from the camera).
 */
export interface DamageAim {
  x: number;
  y: number;
  layer: number;
}

export type DamageRequest = DamageShape & { aim?: DamageAim };

export type DamageShape =
  /** `elongation` 1 is a round dent; above 1 a crease that many times longer than wide. */
  | { type: 'dent'; radiusM: number; depthM: number; elongation: number }
  /** `layer`: how deep it cuts, which sets its look. */
  | { type: 'scratch'; lengthM: number; widthM: number; curvature: number; layer: ScratchLayer }
  | { type: 'crack'; lengthM: number; widthM: number; branches: number }
  | { type: 'glass_shatter'; radiusM: number }
  | { type: 'lamp_broken'; radiusM: number }
  /** `deflation`: share of the sidewall height lost, 0 to 1. */
  | { type: 'tire_flat'; deflation: number };

/**
 * How a render's error begins when the job's model file could not be loaded
 * into a page. Such a failure is the file's, not the page's: the farm does not
 * retry it, and the model's other jobs fail with it without being tried.
 */
export const MODEL_LOAD_FAILED = 'the model could not be loaded: ';

export interface RenderRequest {
  jobKey: string;
  /** 32-bit seed of this job; the page derives its placement draws from it. */
  seed: number;
  width: number;
  height: number;
  /** Every pass renders this many times wider and higher; pixels come back reduced to width x height. */
  supersample: number;
  modelId: string;
  modelUrl: string;
  rules: ModelRules;
  paint: PaintRequest;
  lighting: LightingRequest;
  background: BackgroundRequest;
  camera: CameraRequest;
  damage: DamageRequest[];
  /** Place damage only where the camera can see it. */
  placeVisible: boolean;
  /**
   * Also render the undamaged twin: same car, paint, light, camera and
   * background. `full`: the whole image. `labels`: only around the pixels
   * the ID pass gives to damage, which is all the visibility check of the
   * labels compares (see RenderResult.twinRects). `none`: no twin.
   */
  twin: TwinScope;
  /** Also return each damage's unoccluded mask. */
  amodal: boolean;
  /** Also return an ID pass of the car's parts without any damage. */
  partMasks: boolean;
  /** A dent is labelled where it pushes the surface in by more than this share of its depth. */
  dentLabelFraction: number;
  /**
   * Where the page sends the job's pixels (see PageRenderResult): the
   * upload's id and the ws:// URL of the upload socket. Set by the renderer
   * page for each call.
   */
  upload?: { id: number; socket: string };
}

export type TwinScope = 'full' | 'labels' | 'none';

/** A rectangle of pixels, rows counted from the bottom as WebGL reads them. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A damage the page placed on the car; `index` is its value in the ID pass. */
export interface PlacedDamage {
  index: number;
  type: DamageRequest['type'];
  part: string;
  /** World position of the damage centre (metres, renderer world frame). */
  centre: [number, number, number];
  normal: [number, number, number];
  request: DamageRequest;
  /** Straight pieces the damage is drawn with (1 for a dent). */
  segments: number;
  /** Pixels it would cover with nothing in front of it and no image border. */
  amodalPixels?: number;
  /** With `amodal`: base64 of its unoccluded mask in the frame, 1 byte a pixel, rows bottom-up. */
  amodalMask?: string;
}

export interface CameraPose {
  /** World frame: Babylon's, left-handed, y up, car front towards +z, ground y = 0. */
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  /** Vertical field of view, radians. */
  fovY: number;
  /** World-to-camera matrix (Babylon view matrix), 16 numbers row by row, for row vectors: p_cam = p_world * M. */
  view: number[];
}

export interface RenderResult {
  /** RGBA bytes, width*height*4, rows bottom-up as WebGL reads them. */
  color: Uint8Array;
  /** The ID pass, same layout: B = kind, R + 256 G = index. */
  id: Uint8Array;
  /** The undamaged twin's colour pass inside `twinRects`, one after another, when asked for. */
  twin: Uint8Array | null;
  /**
   * The rectangles `twin` holds, rows bottom-up in each: the whole image for
   * a `full` twin; for `labels`, a few round the damage pixels of the ID
   * pass, with a small margin (none when no damage shows). Null without a
   * twin.
   */
  twinRects: PixelRect[] | null;
  /** The ID pass without damage (parts only), when asked for. */
  partsId: Uint8Array | null;
  placed: PlacedDamage[];
  /**
   * Placed damage whose unoccluded pass overflowed the rectangle its size
   * promised and was drawn again over the whole frame: 0 when every bound
   * held. Diagnostics only.
   */
  amodalRedrawn: number;
  /** Damage requests that found no place on the car, with the reason. */
  unplaced: { request: DamageRequest; reason: string }[];
  /** Part names by index (ID kind 1). */
  parts: string[];
  camera: CameraPose;
  /** The environment's rotation the image was rendered with, degrees in [0, 360). */
  environmentRotationDeg: number;
  /** Names of the plate nodes, meshes and triangles removed when the model loaded. */
  platesRemoved: string[];
  timings: RenderTimings;
}

/**
 * A render result as the page returns it: the pixels travel apart, as one
 * message of `color`, `id`, `twin` and `partsId` one after another for the
 * request's `upload`; `pixels` gives each one's length in bytes (null: not
 * there).
 */
export type PageRenderResult = Omit<RenderResult, 'color' | 'id' | 'twin' | 'partsId'> & {
  pixels: { color: number; id: number; twin: number | null; partsId: number | null };
};

/**
 * Where a job's time went in the page, milliseconds from performance.now().
 * WebGL queues its work, so a pass's drawing may finish only inside the
 * readback that follows it: `colorRenderMs` is the time to issue the colour
 * pass, `colorReadMs` the wait for it, the copy back and the reduction of
 * the samples. Diagnostics only: never part of a dataset or a job record.
 */
export interface RenderTimings {
  /** Loading the car (first use on this page) and showing it. */
  loadMs: number;
  /** Paint, light, backdrop, camera, damage placement, close-up framing, scene readiness. */
  setupMs: number;
  colorRenderMs: number;
  colorReadMs: number;
  /** The ID pass: drawing, readback and the reduction of its samples. */
  idMs: number;
  /** Every damage's unoccluded pass (done for every job: it gives `amodalPixels`). */
  amodalMs: number;
  /** The undamaged twin's colour pass and readback, when asked for. */
  twinMs: number;
  /** The ID pass without damage, when part masks are asked for. */
  partsMs: number;
  /** Packing the buffers to send. */
  packMs: number;
  /** The whole call in the page up to sending the pixels. */
  totalMs: number;
  /** Set by the Node side: the call's round trip less `totalMs`, i.e. moving the pixels and the result to Node. */
  transferMs?: number;
}

/** What a worker page reports once its renderer is up. */
export interface RendererInfo {
  babylonVersion: string;
  webglVersion: string;
  vendor: string;
  renderer: string;
  /** True when the renderer string names a software rasteriser. */
  software: boolean;
}
