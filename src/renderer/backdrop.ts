/**
 * What is behind and under the car: the environment as a sky box, a flat
 * colour or a photo backplate, and a ground that catches the car's shadow,
 * with a soft contact shadow where the car meets it.
 */
import {
  BackgroundMaterial,
  Color3,
  Color4,
  DynamicTexture,
  Layer,
  MeshBuilder,
  PBRMaterial,
  StandardMaterial,
  Texture,
  type BaseTexture,
  type Mesh,
  type Scene,
  type Vector3,
} from '@babylonjs/core';
import type { BackgroundRequest, GroundKind } from '../protocol';

type SurfaceGround = Exclude<GroundKind, 'none' | 'shadow' | 'projected'>;

/**
 * Projected ground: the panorama is taken as seen from this height above a
 * flat floor, inside a dome of this radius (metres). Panoramas are mostly
 * shot from a tripod at about eye height. Whatever stands on the ground
 * inside the dome (walls, posts, people) is laid flat onto the floor and
 * smeared towards the car, so the dome is kept small: a street's buildings
 * and a hall's walls then stand upright on it. It must still hold the
 * camera of a whole-car view (under 15 m away).
 */
const PANORAMA_HEIGHT_M = 1.7;
const PANORAMA_RADIUS_M = 20;

interface GroundLook {
  /** Linear base colour, multiplied by the texture. */
  albedo: [number, number, number];
  roughness: number;
  texture: GrainStyle;
}

const GROUND_LOOK: Record<SurfaceGround, GroundLook> = {
  asphalt: { albedo: [0.09, 0.09, 0.085], roughness: 0.9, texture: { patches: 0.8, fine: 0.2, speck: 45, cracks: 14, tileM: 16 } },
  concrete: { albedo: [0.42, 0.42, 0.4], roughness: 0.85, texture: { patches: 0.8, fine: 0.2, speck: 45, cracks: 14, tileM: 16 } },
  // Loose stones: strong grain at the scale of centimetres, no seams.
  gravel: { albedo: [0.3, 0.28, 0.25], roughness: 0.95, texture: { patches: 0.2, fine: 0.9, speck: 120, cracks: 0, tileM: 3 } },
  // Sealed workshop floor: smooth and glossy, so it mirrors the car softly, with worn patches.
  workshop: { albedo: [0.32, 0.34, 0.33], roughness: 0.32, texture: { patches: 0.35, fine: 0.05, speck: 10, cracks: 4, tileM: 12 } },
};

export class Backdrop {
  readonly skybox: Mesh;
  readonly ground: Mesh;
  readonly contactShadow: Mesh;
  /** Ground that draws only the shadows falling on it, over a backplate. */
  readonly shadowCatcher: Mesh;
  private readonly skyMaterial: PBRMaterial;
  /** The sky box's material when the environment's own ground is projected under the car. */
  private readonly projectedSky: BackgroundMaterial;
  private readonly groundMaterial: PBRMaterial;
  private readonly skyTextures = new Map<BaseTexture, BaseTexture>();
  private layer: Layer | null = null;
  private layerUrl = '';

  constructor(private readonly scene: Scene) {
    this.skybox = MeshBuilder.CreateBox('skybox', { size: 400, sideOrientation: 1 }, scene);
    this.skybox.infiniteDistance = true;
    this.skyMaterial = new PBRMaterial('skybox', scene);
    this.skyMaterial.backFaceCulling = false;
    this.skyMaterial.microSurface = 1;
    this.skyMaterial.disableLighting = true;
    this.skyMaterial.twoSidedLighting = true;
    this.skybox.material = this.skyMaterial;
    this.skybox.isPickable = false;
    this.projectedSky = new BackgroundMaterial('projectedSky', scene);
    this.projectedSky.backFaceCulling = false;
    this.projectedSky.useRGBColor = false;
    this.projectedSky.primaryColor = Color3.White();
    this.projectedSky.enableGroundProjection = true;
    this.projectedSky.projectedGroundHeight = PANORAMA_HEIGHT_M;
    this.projectedSky.projectedGroundRadius = PANORAMA_RADIUS_M;

    this.ground = MeshBuilder.CreateDisc('ground', { radius: 180, tessellation: 128 }, scene);
    this.ground.rotation.x = Math.PI / 2;
    this.groundMaterial = new PBRMaterial('ground', scene);
    this.groundMaterial.metallic = 0;
    // The ground thins out into the environment's own ground towards the
    // horizon instead of ending in a hard line against the sky.
    this.groundMaterial.opacityTexture = horizonFadeTexture(scene);
    this.groundMaterial.opacityTexture.getAlphaFromRGB = true;
    this.groundMaterial.transparencyMode = PBRMaterial.PBRMATERIAL_ALPHABLEND;
    this.ground.material = this.groundMaterial;
    // First of the see-through meshes, so windows are drawn over it.
    this.ground.alphaIndex = -1;
    this.ground.receiveShadows = true;
    this.ground.isPickable = false;

    this.shadowCatcher = MeshBuilder.CreateDisc('shadowCatcher', { radius: 40, tessellation: 64 }, scene);
    this.shadowCatcher.rotation.x = Math.PI / 2;
    const catcher = new BackgroundMaterial('shadowCatcher', scene);
    catcher.shadowOnly = true;
    catcher.primaryColor = Color3.Black();
    catcher.shadowLevel = 0.5;
    this.shadowCatcher.material = catcher;
    this.shadowCatcher.receiveShadows = true;
    this.shadowCatcher.isPickable = false;
    this.shadowCatcher.setEnabled(false);

    this.contactShadow = MeshBuilder.CreateGround('contactShadow', { width: 1, height: 1 }, scene);
    this.contactShadow.position.y = 0.002;
    const shadowMaterial = new StandardMaterial('contactShadow', scene);
    shadowMaterial.diffuseTexture = radialShadowTexture(scene);
    shadowMaterial.diffuseTexture.hasAlpha = true;
    shadowMaterial.useAlphaFromDiffuseTexture = true;
    shadowMaterial.diffuseColor = Color3.Black();
    shadowMaterial.specularColor = Color3.Black();
    shadowMaterial.disableLighting = true;
    this.contactShadow.material = shadowMaterial;
    this.contactShadow.isPickable = false;
  }

  /** Meshes that hide the car's surroundings in the ID pass but carry no label. */
  get occluders(): Mesh[] {
    return [this.ground, this.shadowCatcher].filter((m) => m.isEnabled());
  }

  async apply(request: BackgroundRequest, env: BaseTexture, carMin: Vector3, carMax: Vector3): Promise<void> {
    const ground = request.ground;
    this.skybox.setEnabled(request.type === 'environment');
    this.skybox.material = ground === 'projected' ? this.projectedSky : this.skyMaterial;
    if (request.type === 'environment') this.setSky(env);
    this.scene.clearColor =
      request.type === 'color' ? new Color4(...request.linear, 1).toGammaSpace() : new Color4(0, 0, 0, 1);
    await this.applyLayer(request.type === 'image' ? request.url : null);

    const surface = ground !== 'none' && ground !== 'shadow' && ground !== 'projected';
    this.ground.setEnabled(surface);
    this.shadowCatcher.setEnabled(ground === 'shadow' || ground === 'projected');
    this.contactShadow.setEnabled(ground !== 'none');
    if (surface) {
      const look = GROUND_LOOK[ground];
      this.groundMaterial.albedoColor = new Color3(...look.albedo);
      this.groundMaterial.roughness = look.roughness;
      this.groundMaterial.albedoTexture = this.grainFor(ground, look.texture);
    }
    this.contactShadow.scaling.set((carMax.x - carMin.x) * 1.25, 1, (carMax.z - carMin.z) * 1.12);
  }

  /**
   * Shows the environment behind the car in place of a photo backplate,
   * keeping the ground's shadows: for a close-up, which the photo (taken
   * with another camera) would fill at the wrong scale. Call after the
   * environment's final rotation is set.
   */
  showEnvironment(env: BaseTexture): void {
    if (this.layer) this.layer.isEnabled = false;
    this.skybox.setEnabled(true);
    this.setSky(env);
  }

  /** Keeps the sky box turned with the environment after the environment turned. */
  followEnvironment(env: BaseTexture): void {
    if (this.skybox.isEnabled()) this.setSky(env);
  }

  private setSky(env: BaseTexture): void {
    const sky = this.skyTextureFor(env);
    this.skyMaterial.reflectionTexture = sky;
    this.projectedSky.reflectionTexture = sky;
  }

  private readonly grains = new Map<SurfaceGround, DynamicTexture>();

  private grainFor(kind: SurfaceGround, style: GrainStyle): DynamicTexture {
    let texture = this.grains.get(kind);
    if (!texture) {
      texture = groundGrainTexture(this.scene, style);
      this.grains.set(kind, texture);
    }
    return texture;
  }

  private skyTextureFor(env: BaseTexture): BaseTexture {
    let sky = this.skyTextures.get(env);
    if (!sky) {
      sky = env.clone() as BaseTexture;
      sky.coordinatesMode = Texture.SKYBOX_MODE;
      this.skyTextures.set(env, sky);
    }
    if ('rotationY' in env) (sky as unknown as { rotationY: number }).rotationY = (env as unknown as { rotationY: number }).rotationY;
    return sky;
  }

  private async applyLayer(url: string | null): Promise<void> {
    if (this.layer) this.layer.isEnabled = true;
    if (url === this.layerUrl) return;
    this.layer?.dispose();
    this.layer = null;
    this.layerUrl = url ?? '';
    if (!url) return;
    const layer = new Layer('backplate', url, this.scene, true);
    this.layer = layer;
    const started = Date.now();
    while (!layer.texture?.isReady()) {
      if (Date.now() - started > 60_000) throw new Error(`background image ${url} did not load within 60 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/**
 * A worn road surface: patches a few metres across, aggregate grain, dark
 * stains and a few cracks, around mid-grey so it multiplies the ground's
 * albedo. `style` sets the mix and the tile size.
 */
interface GrainStyle {
  /** Weight of the patches a few metres across. */
  patches: number;
  /** Weight of the fine grain. */
  fine: number;
  /** Spread of the per-texel speckle, in 8-bit levels. */
  speck: number;
  /** Number of thin dark cracks per tile. */
  cracks: number;
  /** Metres one tile covers. */
  tileM: number;
}

function groundGrainTexture(scene: Scene, style: GrainStyle): DynamicTexture {
  const size = 1024;
  const texture = new DynamicTexture('groundGrain', { width: size, height: size }, scene, true);
  const ctx = texture.getContext() as CanvasRenderingContext2D;
  const image = ctx.createImageData(size, size);
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const lattice = (n: number) => Array.from({ length: n * n }, next);
  const octaves = [4, 16, 64].map((n) => ({ n, values: lattice(n) }));
  const smooth = (n: number, values: number[], x: number, y: number) => {
    const fx = (x / size) * n;
    const fy = (y / size) * n;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const tx = fx - x0;
    const ty = fy - y0;
    const at = (i: number, j: number) => values[((j % n) * n + (i % n)) % (n * n)];
    const top = at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx;
    const bottom = at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx;
    return top * (1 - ty) + bottom * ty;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const patches = (smooth(4, octaves[0].values, x, y) * 0.625 + smooth(16, octaves[1].values, x, y) * 0.375) * style.patches;
      const fine = smooth(64, octaves[2].values, x, y) * style.fine;
      const speck = next();
      let v = 95 + (110 * (patches + fine)) / (style.patches + style.fine) + style.speck * (speck - 0.5);
      if (speck > 0.992) v += 70;
      v = Math.max(0, Math.min(255, v));
      image.data.set([v, v * 0.99, v * 0.97, 255], 4 * (y * size + x));
    }
  }
  ctx.putImageData(image, 0, 0);
  ctx.strokeStyle = 'rgba(30,30,30,0.3)';
  ctx.lineWidth = 1;
  for (let c = 0; c < style.cracks; c++) {
    ctx.beginPath();
    let x = next() * size;
    let y = next() * size;
    ctx.moveTo(x, y);
    for (let k = 0; k < 12; k++) {
      x += (next() - 0.5) * 40;
      y += (next() - 0.5) * 40;
      ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  texture.update();
  texture.wrapU = Texture.WRAP_ADDRESSMODE;
  texture.wrapV = Texture.WRAP_ADDRESSMODE;
  texture.uScale = 360 / style.tileM;
  texture.vScale = 360 / style.tileM;
  texture.anisotropicFilteringLevel = 8;
  return texture;
}

/** Opaque to 25 m from the car, then fading out to nothing at the disc's 180 m rim. */
function horizonFadeTexture(scene: Scene): DynamicTexture {
  const texture = radialTexture(scene, 'horizonFade', 512, [[0, '#fff'], [25 / 180, '#fff'], [0.6, '#999'], [1, '#000']]);
  texture.wrapU = Texture.CLAMP_ADDRESSMODE;
  texture.wrapV = Texture.CLAMP_ADDRESSMODE;
  return texture;
}

/** A soft dark ellipse: the occlusion under a car that a shadow map misses. */
function radialShadowTexture(scene: Scene): DynamicTexture {
  return radialTexture(scene, 'contactShadow', 256, [[0, 'rgba(0,0,0,0.85)'], [0.6, 'rgba(0,0,0,0.6)'], [1, 'rgba(0,0,0,0)']]);
}

/** A square texture of a radial gradient from its centre (offset 0) to its edge (1). */
function radialTexture(scene: Scene, name: string, size: number, stops: [number, string][]): DynamicTexture {
  const texture = new DynamicTexture(name, { width: size, height: size }, scene, true);
  const ctx = texture.getContext() as CanvasRenderingContext2D;
  const gradient = ctx.createRadialGradient(size / 2, size / 2, 0, size / 2, size / 2, size / 2);
  for (const [offset, colour] of stops) gradient.addColorStop(offset, colour);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, size, size);
  texture.update();
  return texture;
}
