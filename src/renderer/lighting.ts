/**
 * Image-based light from an environment map plus a sun with soft shadows,
 * or street lamps (spot lights on poles, the first casting shadows) for
 * night scenes. Environment textures are loaded once per page and reused
 * across jobs.
 */
import {
  BaseTexture,
  Color3,
  CubeTexture,
  DirectionalLight,
  HDRCubeTexture,
  ShadowGenerator,
  SpotLight,
  Vector3,
  type AbstractMesh,
  type Camera,
  type Scene,
} from '@babylonjs/core';
import type { LampRequest, LightingRequest } from '../protocol';
import { directionFrom } from './camera-rig';

/** Most street lamps one image can have (the schema's limit). */
const MAX_LAMPS = 4;
/** Full cone of a street lamp's light, radians: wide, as a road lantern's is. */
const LAMP_CONE = (150 * Math.PI) / 180;

export class Lighting {
  readonly sun: DirectionalLight;
  readonly shadows: ShadowGenerator;
  private readonly lamps: SpotLight[] = [];
  private readonly lampShadows: ShadowGenerator;
  private readonly environments = new Map<string, BaseTexture>();

  constructor(private readonly scene: Scene) {
    this.sun = new DirectionalLight('sun', new Vector3(0, -1, 0), scene);
    this.sun.shadowMinZ = 0.1;
    this.sun.shadowMaxZ = 60;
    this.shadows = new ShadowGenerator(2048, this.sun);
    this.shadows.usePercentageCloserFiltering = true;
    this.shadows.filteringQuality = ShadowGenerator.QUALITY_HIGH;
    this.shadows.bias = 0.0005;
    this.shadows.normalBias = 0.01;

    for (let i = 0; i < MAX_LAMPS; i++) {
      const lamp = new SpotLight(`lamp${i}`, Vector3.Zero(), new Vector3(0, -1, 0), LAMP_CONE, 2, scene);
      lamp.shadowMinZ = 0.5;
      lamp.shadowMaxZ = 40;
      lamp.setEnabled(false);
      this.lamps.push(lamp);
    }
    // Only the first lamp casts shadows: one more shadow map per image.
    this.lampShadows = new ShadowGenerator(1024, this.lamps[0]);
    this.lampShadows.usePercentageCloserFiltering = true;
    this.lampShadows.filteringQuality = ShadowGenerator.QUALITY_MEDIUM;
    this.lampShadows.bias = 0.0008;
    this.lampShadows.normalBias = 0.01;
  }

  async environment(url: string): Promise<BaseTexture> {
    let texture = this.environments.get(url);
    if (!texture) {
      texture = url.endsWith('.env')
        ? CubeTexture.CreateFromPrefilteredData(url, this.scene)
        : new HDRCubeTexture(url, this.scene, 128, false, true, false, true);
      this.environments.set(url, texture);
    }
    await waitForTexture(texture, url);
    return texture;
  }

  async apply(request: LightingRequest, casters: readonly AbstractMesh[]): Promise<BaseTexture> {
    const env = await this.environment(request.environmentUrl);
    env.level = 1;
    turnEnvironment(env, request.environmentRotationDeg);
    this.scene.environmentTexture = env;
    this.scene.environmentIntensity = request.environmentIntensity;
    this.scene.imageProcessingConfiguration.exposure = request.exposure;

    const map = this.shadows.getShadowMap();
    if (map) map.renderList = [...casters];
    if (request.sun) {
      const toSun = directionFrom(request.sun.azimuthDeg, request.sun.elevationDeg);
      this.sun.direction = toSun.scale(-1);
      this.sun.position = toSun.scale(20);
      this.sun.intensity = request.sun.intensity;
      this.sun.setEnabled(true);
    } else {
      this.sun.setEnabled(false);
    }
    this.placeLamps(request.lamps ?? [], casters);
    return env;
  }

  private placeLamps(lamps: readonly LampRequest[], casters: readonly AbstractMesh[]): void {
    const map = this.lampShadows.getShadowMap();
    if (map) map.renderList = lamps.length > 0 ? [...casters] : [];
    this.lamps.forEach((light, i) => {
      const lamp = lamps[i];
      if (!lamp) {
        light.setEnabled(false);
        return;
      }
      const toLamp = directionFrom(lamp.azimuthDeg, 0);
      light.position = new Vector3(toLamp.x * lamp.distanceM, lamp.heightM, toLamp.z * lamp.distanceM);
      // Down, leaning a little towards the car, as a lantern over a road or
      // a car park bay shines.
      light.direction = new Vector3(-toLamp.x * 0.35, -1, -toLamp.z * 0.35).normalize();
      light.intensity = lamp.intensity;
      light.diffuse = kelvinToColor(lamp.kelvin);
      light.specular = light.diffuse.clone();
      light.setEnabled(true);
    });
  }
}

/** Colour temperature a night camera's white balance is set to, kelvin. */
const WHITE_BALANCE_K = 4000;

/**
 * Linear RGB of a black body at `kelvin` (1500 to 8000) as a camera white-
 * balanced for `WHITE_BALANCE_K` records it, brightest channel 1: Planck's
 * law at rough R, G and B wavelengths (610, 550 and 465 nm), which is close
 * enough for a light's tint. Sodium lamps (about 2000 K) stay orange, LED
 * lanterns (3000 to 5000 K) come out near white.
 */
export function kelvinToColor(kelvin: number): Color3 {
  const planck = (nm: number, k: number): number => {
    const l = nm * 1e-9;
    return 1 / (l ** 5 * (Math.exp(1.4388e-2 / (l * k)) - 1));
  };
  const rgb = [610, 550, 465].map((nm) => planck(nm, kelvin) / planck(nm, WHITE_BALANCE_K));
  const max = Math.max(...rgb);
  return new Color3(rgb[0] / max, rgb[1] / max, rgb[2] / max);
}

/**
 * Over a photo cut from the environment, turns the environment with the
 * camera's heading so the photo's view lies behind the car; otherwise
 * keeps the request's rotation. Returns the rotation used, degrees in [0, 360).
 */
export function faceEnvironment(env: BaseTexture, request: LightingRequest, camera: Camera): number {
  let degrees = request.environmentRotationDeg;
  if (request.environmentHeadingDeg !== null) {
    const forward = camera.getForwardRay(1).direction;
    // Heading 0 looks along -z (a camera at azimuth 0), growing with the azimuth.
    degrees = request.environmentHeadingDeg + Math.atan2(forward.x, -forward.z) * (180 / Math.PI);
  }
  degrees = ((degrees % 360) + 360) % 360;
  turnEnvironment(env, degrees);
  return degrees;
}

function turnEnvironment(env: BaseTexture, degrees: number): void {
  if ('rotationY' in env) (env as CubeTexture).rotationY = degrees * (Math.PI / 180);
}

async function waitForTexture(texture: BaseTexture, url: string): Promise<void> {
  const started = Date.now();
  while (!texture.isReady()) {
    if (texture.loadingError) {
      throw new Error(`environment ${url} failed to load: ${texture.errorObject?.message ?? 'unknown error'}`);
    }
    if (Date.now() - started > 120_000) throw new Error(`environment ${url} did not load within 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
