/**
 * The calibration scene: flat unlit patches whose right output is known
 * from first principles, rendered through the same engine, supersampling
 * and read-back as every job, with the tone curve off. In output image
 * coordinates (origin top-left):
 *   - left half: linear grey 0.5, which sRGB encodes as byte 188;
 *   - right half, top quarter: pure red, so a flipped read-back shows at once;
 *   - right half, the rest: a white disc on white (no edge may darken) above
 *     a white disc on black (edges blend in linear light).
 * Its own scene and camera; the job scene is left untouched.
 */
import {
  Color3,
  Color4,
  Camera,
  MeshBuilder,
  PBRMaterial,
  Scene,
  UniversalCamera,
  Vector3,
  type Engine,
  type Mesh,
} from '@babylonjs/core';

export const CALIBRATION_GREY_LINEAR = 0.5;

export class CalibrationScene {
  private readonly scene: Scene;

  constructor(engine: Engine) {
    const scene = new Scene(engine);
    scene.useRightHandedSystem = false;
    scene.clearColor = new Color4(0, 0, 0, 1);
    scene.imageProcessingConfiguration.toneMappingEnabled = false;
    scene.imageProcessingConfiguration.exposure = 1;
    scene.imageProcessingConfiguration.contrast = 1;
    const camera = new UniversalCamera('calibration', new Vector3(0, 0, -10), scene);
    camera.setTarget(Vector3.Zero());
    camera.mode = Camera.ORTHOGRAPHIC_CAMERA;
    // The view spans x -1..1 and y -1..1 whatever the image's aspect.
    camera.orthoLeft = -1;
    camera.orthoRight = 1;
    camera.orthoTop = 1;
    camera.orthoBottom = -1;
    const unlit = (name: string, linear: Color3) => {
      const m = new PBRMaterial(name, scene);
      m.unlit = true;
      m.albedoColor = linear;
      return m;
    };
    const patch = (name: string, x0: number, x1: number, y0: number, y1: number, linear: Color3, z = 1): Mesh => {
      const plane = MeshBuilder.CreatePlane(name, { width: x1 - x0, height: y1 - y0 }, scene);
      plane.position = new Vector3((x0 + x1) / 2, (y0 + y1) / 2, z);
      plane.material = unlit(name, linear);
      return plane;
    };
    const g = CALIBRATION_GREY_LINEAR;
    patch('grey', -1, 0, -1, 1, new Color3(g, g, g));
    patch('red', 0, 1, 0.5, 1, new Color3(1, 0, 0));
    patch('white', 0, 1, 0, 0.5, new Color3(1, 1, 1));
    const disc = (name: string, y: number) => {
      const d = MeshBuilder.CreateDisc(name, { radius: 0.2, tessellation: 96 }, scene);
      d.position = new Vector3(0.5, y, 0.5);
      d.material = unlit(name, new Color3(1, 1, 1));
    };
    disc('discOnWhite', 0.25);
    disc('discOnBlack', -0.5);
    scene.activeCamera = camera;
    this.scene = scene;
  }

  async render(): Promise<void> {
    await this.scene.whenReadyAsync();
    this.scene.render();
  }
}
