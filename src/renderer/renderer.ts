/**
 * The in-page renderer: one engine and scene per page, reused across jobs.
 * Per job it shows the job's car, paints it, places the damage, lights it,
 * sets the background and camera, renders the colour pass and then the ID
 * pass from the same camera.
 */
import {
  Engine,
  ImageProcessingConfiguration,
  PBRMaterial,
  Scene,
  UniversalCamera,
  Vector3,
  type AbstractMesh,
} from '@babylonjs/core';
import type { PageRenderResult, PixelRect, RenderRequest, RendererInfo, RenderTimings } from '../protocol';
import { Random } from '../grid/random';
import { Backdrop } from './backdrop';
import { frameCloseUp, placeCamera } from './camera-rig';
import { loadCar, type LoadedCar } from './car-loader';
import { capStrokeWidths, DamageFieldTexture, DamagePaintPlugin, type DamageEntry } from './damage-field';
import { placeDamage, SurfaceSampler, type Surface } from './damage-placement';
import { SURFACE_GLASS, SURFACE_LAMP, SURFACE_PAINT, SURFACE_PLASTIC, SURFACE_TYRE, surfaceFor } from './surface-kinds';
import { ID_KIND_DAMAGE } from '../annotation/id-buffer';
import { bodyRegion } from './body-regions';
import { IdPass } from './id-pass';
import { damageRect } from './damage-bounds';
import { twinRects } from './twin-rects';
import { faceEnvironment, Lighting } from './lighting';
import { applyPaint } from './paint';
import { CalibrationScene } from './calibration';
import { downsampleColor, reduceIds } from './supersample';
import { stopwatch } from '../pipeline/stage-timings';
import { UploadChannel } from './upload-channel';

interface CarEntry {
  car: LoadedCar;
  /** Per surface bit, the meshes of that surface and their area sampler. */
  surfaces: Map<number, Surface>;
  loadMs: number;
}

export class Renderer {
  private readonly engine: Engine;
  private readonly scene: Scene;
  private readonly camera: UniversalCamera;
  private readonly field: DamageFieldTexture;
  private readonly idPass: IdPass;
  private readonly lighting: Lighting;
  private readonly backdrop: Backdrop;
  private readonly cars = new Map<string, Promise<CarEntry>>();
  private readonly uploads = new UploadChannel();
  private shown: LoadedCar | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    // No multisampling: anti-aliasing comes from supersampling, whose samples
    // the ID pass shares, so every label is decided from the samples that
    // made its pixel's colour.
    this.engine = new Engine(canvas, false, {
      preserveDrawingBuffer: true,
      premultipliedAlpha: false,
      alpha: false,
      stencil: true,
      disableWebGL2Support: false,
      adaptToDeviceRatio: false,
    });
    if (this.engine.webGLVersion < 2) throw new Error('WebGL2 is not available in this browser');
    this.scene = new Scene(this.engine);
    this.scene.useRightHandedSystem = false;
    this.scene.skipPointerMovePicking = true;
    const ip = this.scene.imageProcessingConfiguration;
    ip.toneMappingEnabled = true;
    ip.toneMappingType = ImageProcessingConfiguration.TONEMAPPING_ACES;
    ip.contrast = 1.05;
    this.camera = new UniversalCamera('camera', new Vector3(0, 1.5, 6), this.scene);
    this.scene.activeCamera = this.camera;
    this.field = new DamageFieldTexture(this.scene);
    this.idPass = new IdPass(this.scene, this.field);
    this.lighting = new Lighting(this.scene);
    this.backdrop = new Backdrop(this.scene);
  }

  info(): RendererInfo {
    const gl = this.engine._gl as WebGL2RenderingContext;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
    return {
      babylonVersion: Engine.Version,
      webglVersion: String(gl.getParameter(gl.VERSION)),
      vendor,
      renderer,
      software: /swiftshader|llvmpipe|software|softpipe/i.test(renderer),
    };
  }

  async render(request: RenderRequest): Promise<PageRenderResult> {
    const started = performance.now();
    const lap = stopwatch();
    const entry = await this.carFor(request);
    const car = entry.car;
    this.show(car);
    const loadMs = lap();

    const s = request.supersample;
    const sampledWidth = request.width * s;
    const sampledHeight = request.height * s;
    if (this.engine.getRenderWidth() !== sampledWidth || this.engine.getRenderHeight() !== sampledHeight) {
      this.engine.setSize(sampledWidth, sampledHeight);
    }
    applyPaint(car.paintMaterials, request.paint);
    const env = await this.lighting.apply(request.lighting, car.meshes);
    await this.backdrop.apply(request.background, env, car.min, car.max);
    let camera = placeCamera(this.camera, request.camera, request.width, request.height, car.min, car.max);

    // Picking reads world matrices, which a scene otherwise refreshes only
    // while rendering: without this the first job of a page would see the
    // ground still unrotated and place its damage differently.
    for (const mesh of this.scene.meshes) mesh.computeWorldMatrix(true);
    const random = new Random(request.seed).fork('placement');
    const placement = placeDamage(request.damage, random, {
      scene: this.scene,
      camera: this.camera,
      surfaceFor: (type) => entry.surfaces.get(surfaceFor(type))!,
      solids: new Set([...car.meshes, ...this.backdrop.occluders]),
      partName: (mesh, position, normal) => {
        const part = car.parts[car.partOf.get(mesh) ?? 0];
        return part === 'body' ? bodyRegion(position, normal, car.min, car.max) : part;
      },
      placeVisible: request.placeVisible,
      labelFraction: request.dentLabelFraction,
      imageWidth: request.width,
      imageHeight: request.height,
    });
    const closeUp = request.camera.closeUpM;
    if (closeUp !== null && placement.placed.length > 0) {
      const { centre, normal } = placement.placed[0];
      camera = frameCloseUp(this.camera, request.camera, request.width, request.height, Vector3.FromArray(centre), Vector3.FromArray(normal), closeUp);
      for (const mesh of this.scene.meshes) mesh.computeWorldMatrix(true);
    }
    capStrokeWidths(placement.entries, this.camera.getViewMatrix(), this.camera.getProjectionMatrix(), sampledWidth, sampledHeight);
    this.field.update(placement.entries);
    const environmentRotationDeg = faceEnvironment(env, request.lighting, this.camera);
    if (closeUp !== null && request.background.type === 'image') this.backdrop.showEnvironment(env);
    else this.backdrop.followEnvironment(env);

    await this.scene.whenReadyAsync();
    const setupMs = lap();
    this.scene.render();
    const colorRenderMs = lap();
    const color = await this.readColor(request.width, request.height, s);
    const colorReadMs = lap();

    const renderIds = async (seeThrough: boolean) =>
      reduceIds(await this.sampledIds(car, sampledWidth, sampledHeight, seeThrough), request.width, request.height, s);
    const id = await renderIds(true);
    const idMs = lap();

    const viewProjection = this.camera.getViewMatrix().multiply(this.camera.getProjectionMatrix());
    let amodalRedrawn = 0;
    for (const damage of placement.placed) {
      const scale = touchesBorder(id, request.width, request.height, damage.index) ? 3 : 1;
      const bounds = damageRect(placement.entries, damage.index, viewProjection, request.width, request.height, s);
      const amodal = await this.idPass.amodalPixels(this.camera, request.width, request.height, s, car.meshes, {
        instance: damage.index,
        surface: surfaceFor(damage.type),
        scale,
        bounds,
      });
      damage.amodalPixels = amodal.count;
      if (amodal.redrawn) amodalRedrawn++;
      if (request.amodal) damage.amodalMask = toBase64(amodal.mask);
    }
    const amodalMs = lap();
    this.floorDamage = placement.entries;

    let twin: Uint8Array[] | null = null;
    let twinRectList: PixelRect[] | null = null;
    let partsId: Uint8Array | null = null;
    if (request.twin !== 'none' || request.partMasks) this.field.update([]);
    if (request.twin !== 'none') {
      const image = { x: 0, y: 0, width: request.width, height: request.height };
      twinRectList = request.twin === 'full' ? [image] : twinRects(id, request.width, request.height, TWIN_MARGIN);
      // One rectangle after another, as twinRects lists them.
      twin = [];
      for (const rect of twinRectList) twin.push(await this.renderColorRect(rect, s));
    }
    const twinMs = lap();
    if (request.partMasks) {
      // Without damage every car pixel names its part, also under a dent,
      // and windows name themselves rather than what shows through them.
      partsId = await renderIds(false);
    }
    const partsMs = lap();
    if (!request.upload) throw new Error(`job ${request.jobKey}: no upload for its pixels`);
    const buffers = [Uint32Array.of(request.upload.id), color, id, ...(twin ?? []), partsId];
    const body = new Blob(buffers.filter((b) => b !== null) as BlobPart[]);
    const packMs = lap();
    const totalMs = performance.now() - started;
    await this.uploads.send(request.upload, body);
    const timings: RenderTimings = {
      loadMs,
      setupMs,
      colorRenderMs,
      colorReadMs,
      idMs,
      amodalMs,
      twinMs,
      partsMs,
      packMs,
      totalMs,
    };

    return {
      pixels: { color: color.length, id: id.length, twin: twin && twin.reduce((n, rect) => n + rect.length, 0), partsId: partsId && partsId.length },
      twinRects: twinRectList,
      placed: placement.placed,
      amodalRedrawn,
      unplaced: placement.unplaced,
      parts: car.parts,
      camera,
      environmentRotationDeg,
      platesRemoved: car.platesRemoved,
      timings,
    };
  }

  /** The ID pass of `car` from the camera at the sampled size, before the samples are reduced. */
  private sampledIds(car: LoadedCar, width: number, height: number, seeThrough: boolean) {
    const surfaceBitsOf = (m: AbstractMesh) => (m.material instanceof PBRMaterial ? car.damageMaterials.get(m.material) ?? 0 : 0);
    return this.idPass.render(this.camera, width, height, car.meshes, (m) => car.partOf.get(m) ?? 0, surfaceBitsOf, this.backdrop.occluders, seeThrough);
  }

  /** The damage of the last `render`, which `floor` draws again. */
  private floorDamage: readonly DamageEntry[] = [];

  /**
   * The rendering floor of a job: renders `request` once in full to build
   * its scene, then `repeats` times only what no pipeline can skip, the
   * colour pass and the ID pass at the sampled size, each read back. Returns
   * the milliseconds of each repeat.
   */
  async floor(request: RenderRequest, repeats: number): Promise<number[]> {
    await this.render(request);
    this.field.update(this.floorDamage);
    const car = this.shown!;
    const width = request.width * request.supersample;
    const height = request.height * request.supersample;
    const runs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      this.scene.render();
      await this.engine.readPixels(0, 0, width, height, true, true);
      await this.sampledIds(car, width, height, true);
      runs.push(performance.now() - started);
    }
    return runs;
  }

  /**
   * The calibration scene (see calibration.ts) at width x height with
   * `supersample`, as base64 RGBA bytes, rows bottom-up like a job's colour.
   */
  async calibrate(width: number, height: number, supersample: number): Promise<string> {
    this.calibration ??= new CalibrationScene(this.engine);
    this.engine.setSize(width * supersample, height * supersample);
    await this.calibration.render();
    return toBase64(await this.readColor(width, height, supersample));
  }

  private calibration: CalibrationScene | null = null;

  /**
   * Renders the colour pass again and returns the pixels of `rect` (rows
   * bottom-up, reduced from their samples); only that rectangle is drawn,
   * and the scissor is off again before anything else draws. The shadow
   * maps are the colour pass's: damage moves nothing they are drawn from
   * (their depth shaders have no damage field), so they are not drawn again.
   */
  private async renderColorRect(rect: PixelRect, supersample: number): Promise<Uint8Array> {
    if (rect.width === 0 || rect.height === 0) return new Uint8Array(0);
    const s = supersample;
    const whole = rect.x === 0 && rect.y === 0 && rect.width * s === this.engine.getRenderWidth() && rect.height * s === this.engine.getRenderHeight();
    const observer = whole
      ? null
      : this.scene.onAfterRenderTargetsRenderObservable.addOnce(() => this.engine.enableScissor(rect.x * s, rect.y * s, rect.width * s, rect.height * s));
    this.scene.renderTargetsEnabled = false;
    try {
      this.scene.render();
    } finally {
      this.scene.renderTargetsEnabled = true;
      this.engine.disableScissor();
      if (observer) this.scene.onAfterRenderTargetsRenderObservable.remove(observer);
    }
    const pixels = await this.engine.readPixels(rect.x * s, rect.y * s, rect.width * s, rect.height * s, true, true);
    return downsampleColor(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength), rect.width, rect.height, s);
  }

  /** The colour pass as width x height RGBA bytes, rows bottom-up, reduced from its samples. */
  private async readColor(width: number, height: number, supersample: number): Promise<Uint8Array> {
    const pixels = await this.engine.readPixels(0, 0, width * supersample, height * supersample, true, true);
    return downsampleColor(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength), width, height, supersample);
  }

  private carFor(request: RenderRequest): Promise<CarEntry> {
    let entry = this.cars.get(request.modelUrl);
    if (!entry) {
      entry = (async () => {
        const started = performance.now();
        const car = await loadCar(this.scene, request.modelUrl, request.rules);
        for (const [material, bits] of car.damageMaterials) {
          new DamagePaintPlugin(material, this.field, bits);
          // Specular anti-aliasing roughens by the screen-space derivative of
          // the normal, which would smear each dent one pixel past its label.
          material.enableSpecularAntiAliasing = false;
        }
        car.container.addAllToScene();
        const surfaces = new Map<number, Surface>();
        for (const bit of [SURFACE_PAINT, SURFACE_PLASTIC, SURFACE_GLASS, SURFACE_LAMP, SURFACE_TYRE]) {
          const meshes = [...car.surfaces].filter(([, bits]) => bits & bit).map(([mesh]) => mesh);
          surfaces.set(bit, { meshes: new Set(meshes), sampler: new SurfaceSampler(meshes) });
        }
        car.container.removeAllFromScene();
        return { car, surfaces, loadMs: performance.now() - started };
      })();
      this.cars.set(request.modelUrl, entry);
      entry.catch(() => this.cars.delete(request.modelUrl));
    }
    return entry;
  }

  private show(car: LoadedCar): void {
    if (this.shown === car) return;
    this.shown?.container.removeAllFromScene();
    car.container.addAllToScene();
    for (const mesh of car.meshes) mesh.computeWorldMatrix(true);
    this.shown = car;
  }
}

/** Pixels round each damage the twin keeps beyond its labels, in case a label's edge is off by one. */
const TWIN_MARGIN = 2;

/** Whether damage `index` has a pixel on the image border in the ID pass. */
function touchesBorder(id: Uint8Array, width: number, height: number, index: number): boolean {
  const at = (x: number, y: number) => {
    const p = 4 * (y * width + x);
    return id[p + 2] === ID_KIND_DAMAGE && id[p] + 256 * id[p + 1] === index;
  };
  for (let x = 0; x < width; x++) if (at(x, 0) || at(x, height - 1)) return true;
  for (let y = 0; y < height; y++) if (at(0, y) || at(width - 1, y)) return true;
  return false;
}

/** Base64 of `bytes`: natively where the browser can (Chromium 140 on), which is many times faster. */
function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (native) return native.call(bytes);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
