/**
 * Image-based light from an environment map plus a sun with soft shadows.
 * Environment textures are loaded once per page and reused across jobs.
 */
import {
  BaseTexture,
  CubeTexture,
  DirectionalLight,
  HDRCubeTexture,
  ShadowGenerator,
  Vector3,
  type AbstractMesh,
  type Camera,
  type Scene,
} from '@babylonjs/core';
import type { LightingRequest } from '../protocol';
import { directionFrom } from './camera-rig';

export class Lighting {
  readonly sun: DirectionalLight;
  readonly shadows: ShadowGenerator;
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
    return env;
  }
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
