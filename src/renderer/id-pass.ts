/**
 * The instance-ID pass: every visible fragment writes which part or damage
 * instance it belongs to, as exact bytes. It renders into its own target
 * at the colour pass's sample grid (see supersample), one sample per texel, nearest filtering, no blending, no fog and no
 * image processing, from the same camera and geometry as the colour pass.
 *
 * Encoding per pixel: B = kind (0 background, 1 car part, 2 damage),
 * R + 256 G = index within that kind.
 */
import {
  Color4,
  Constants,
  RenderTargetTexture,
  ShaderMaterial,
  type AbstractMesh,
  type Camera,
  type Scene,
} from '@babylonjs/core';
import { ID_KIND_DAMAGE, ID_KIND_PART } from '../annotation/id-buffer';
import { reduceIds } from './supersample';
import type { PixelRect } from '../protocol';
import { clipRect, labelOnInnerEdge } from './damage-bounds';
import { DAMAGE_DEFORM_GLSL, DAMAGE_FIELD_GLSL, type DamageFieldTexture } from './damage-field';

const VERTEX = /* glsl */ `
precision highp float;
attribute vec3 position;
attribute vec3 normal;
#include<instancesDeclaration>
uniform mat4 viewProjection;
uniform sampler2D dfDamageTex;
uniform float dfKindBits;
varying vec3 vPositionW;
varying vec3 vNormalW;
${DAMAGE_DEFORM_GLSL}
void main(void) {
#include<instancesVertex>
  vec4 worldPos = finalWorld * vec4(position, 1.0);
  worldPos.xyz = dfDeform(worldPos.xyz);
  vPositionW = worldPos.xyz;
  vNormalW = normalize(mat3(finalWorld) * normal);
  gl_Position = viewProjection * worldPos;
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
uniform sampler2D dfDamageTex;
uniform float partIndex;
uniform float amodalInstance;
uniform float dfKindBits;
uniform float seeThrough;
varying vec3 vPositionW;
varying vec3 vNormalW;
${DAMAGE_FIELD_GLSL}
vec4 encodeId(float kind, float index) {
  float lo = mod(index, 256.0);
  float hi = floor(index / 256.0);
  return vec4(lo / 255.0, hi / 255.0, kind / 255.0, 1.0);
}
void main(void) {
  float kind = ${ID_KIND_PART}.0;
  float index = partIndex;
#ifdef DF_DAMAGE
  DfHit hit = dfEvaluate(vPositionW, normalize(vNormalW));
  if (hit.instance >= 0.0) { kind = ${ID_KIND_DAMAGE}.0; index = hit.instance; }
#endif
  // Clear glass and lamp covers hide nothing in the colour pass: damage
  // behind them shows, so here they draw only where they are damaged.
  if (seeThrough > 0.5 && kind != ${ID_KIND_DAMAGE}.0) discard;
  // Amodal mode keeps one damage instance and nothing that could hide it.
  if (amodalInstance >= 0.0 && (kind != ${ID_KIND_DAMAGE}.0 || index != amodalInstance)) discard;
  gl_FragColor = encodeId(kind, index);
}
`;

/** One damage instance for the unoccluded pass. */
export interface AmodalDamage {
  /** Its index in the ID pass. */
  instance: number;
  /** The surface bits its entries draw on (see surface-kinds). */
  surface: number;
  /** The field of view drawn, times the image's: 1, or 3 when it reaches the border. */
  scale: number;
  /** Where in the image it can draw (see damage-bounds); null: anywhere. */
  bounds: PixelRect | null;
}

/** Draws the ID pass and reads it back. One per scene, reused across jobs. */
export class IdPass {
  private readonly materials = new Map<AbstractMesh, ShaderMaterial>();
  /** Each mesh's surface bits, as its last ID pass drew it. */
  private readonly surfaceBits = new Map<AbstractMesh, number>();

  constructor(
    private readonly scene: Scene,
    private readonly field: DamageFieldTexture,
  ) {}

  /**
   * Renders the ID pass of `meshes` (parts by index in `partIndexOf`) and
   * returns RGBA bytes, rows bottom-up. `occluders` draw as background so
   * that they hide what is behind them, as in the colour pass. With
   * `seeThrough`, clear glass and lamp covers draw only their damage, so damage
   * behind them is labelled; without it (part masks) they label their part.
   */
  async render(
    camera: Camera,
    width: number,
    height: number,
    meshes: readonly AbstractMesh[],
    partIndexOf: (mesh: AbstractMesh) => number,
    surfaceBitsOf: (mesh: AbstractMesh) => number,
    occluders: readonly AbstractMesh[],
    seeThrough = true,
  ): Promise<Uint8Array> {
    const target = this.targetFor(width, height);
    target.activeCamera = camera;
    target.renderList = [...meshes, ...occluders];
    for (const mesh of meshes) {
      target.setMaterialForRendering(
        mesh,
        this.materialFor(mesh, partIndexOf(mesh), surfaceBitsOf(mesh), seeThrough),
      );
    }
    for (const mesh of occluders) {
      target.setMaterialForRendering(mesh, this.backgroundMaterial());
    }
    await this.whenReady(target);
    target.render(false);
    const pixels = await target.readPixels(0, 0, null, true, true);
    if (!pixels) throw new Error('ID pass: readPixels returned nothing');
    return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  }

  /**
   * Pixels damage `damage.instance` would cover with nothing in front of it
   * and no image border: the instance alone, drawn `damage.scale` times
   * wider and higher around the same image (same pixel size), so a damage
   * the frame cuts is counted whole. Samples `supersample` times per axis
   * and reduces them by the same rule as the labels. Call after `render`,
   * which prepares the materials.
   *
   * `damage.bounds` (see damage-bounds), in the image's own pixels, limits
   * drawing and reading back to where the damage can be; null draws
   * everything. A label on the edge of the bounds means they were too
   * tight: the pass is then drawn again over the whole target, and
   * `redrawn` says so.
   */
  async amodalPixels(
    camera: Camera,
    width: number,
    height: number,
    supersample: number,
    meshes: readonly AbstractMesh[],
    damage: AmodalDamage,
  ): Promise<{ count: number; mask: Uint8Array; redrawn: boolean }> {
    const { instance, scale, bounds } = damage;
    const wide = width * scale;
    const tall = height * scale;
    // The image's own pixels are the middle block of the wider render.
    const x0 = ((scale - 1) / 2) * width;
    const y0 = ((scale - 1) / 2) * height;
    const whole: PixelRect = { x: 0, y: 0, width: wide, height: tall };
    const rect = bounds ? clipRect({ ...bounds, x: bounds.x + x0, y: bounds.y + y0 }, wide, tall) : whole;
    const at = (bytes: Uint8Array, p: number) =>
      bytes[4 * p + 2] === ID_KIND_DAMAGE && bytes[4 * p] + 256 * bytes[4 * p + 1] === instance;
    // Only meshes of the damage's surface can show it.
    const candidates = meshes.filter((m) => this.materials.has(m) && (this.surfaceBits.get(m)! & damage.surface) !== 0);

    const draw = (r: PixelRect) => this.drawInstance(camera, wide, tall, supersample, candidates, damage, r);
    let bytes = await draw(rect);
    let drawn = rect;
    const redrawn = rect !== whole && labelOnInnerEdge(rect, wide, tall, (p) => at(bytes, p));
    if (redrawn) {
      bytes = await draw(whole);
      drawn = whole;
    }

    let count = 0;
    for (let p = 0; p < drawn.width * drawn.height; p++) if (at(bytes, p)) count++;
    const mask = new Uint8Array(width * height);
    const inImage = clipRect({ x: drawn.x - x0, y: drawn.y - y0, width: drawn.width, height: drawn.height }, width, height);
    for (let y = inImage.y; y < inImage.y + inImage.height; y++) {
      const row = (y + y0 - drawn.y) * drawn.width - drawn.x + x0;
      for (let x = inImage.x; x < inImage.x + inImage.width; x++) if (at(bytes, row + x)) mask[y * width + x] = 1;
    }
    return { count, mask, redrawn };
  }

  /**
   * Draws `damage` alone into the wide x tall pixel target (`damage.scale`
   * times the image's field of view) inside `rect` only, and returns that
   * rectangle's pixels, reduced from their samples.
   */
  private async drawInstance(
    camera: Camera,
    wide: number,
    tall: number,
    supersample: number,
    meshes: readonly AbstractMesh[],
    damage: AmodalDamage,
    rect: PixelRect,
  ): Promise<Uint8Array> {
    if (rect.width === 0 || rect.height === 0 || meshes.length === 0) return new Uint8Array(rect.width * rect.height * 4);
    const s = supersample;
    const fov = camera.fov;
    const engine = this.scene.getEngine();
    const target = this.targetFor(wide * s, tall * s, damage.scale > 1 ? 'wide' : 'main');
    target.activeCamera = camera;
    target.renderList = [...meshes];
    for (const mesh of meshes) {
      const material = this.materials.get(mesh)!;
      material.setFloat('amodalInstance', damage.instance);
      target.setMaterialForRendering(mesh, material);
    }
    try {
      camera.fov = 2 * Math.atan(damage.scale * Math.tan(fov / 2));
      camera.getProjectionMatrix(true);
      await this.whenReady(target);
      // The scissor also limits the target's clear: pixels outside keep
      // whatever they held, and are never read.
      engine.enableScissor(rect.x * s, rect.y * s, rect.width * s, rect.height * s);
      target.render(false);
    } finally {
      engine.disableScissor();
      camera.fov = fov;
      camera.getProjectionMatrix(true);
      for (const material of this.materials.values()) material.setFloat('amodalInstance', -1);
    }
    const pixels = await target.readPixels(0, 0, null, true, true, rect.x * s, rect.y * s, rect.width * s, rect.height * s);
    if (!pixels) throw new Error('amodal pass: readPixels returned nothing');
    return reduceIds(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength), rect.width, rect.height, s);
  }

  private readonly targets = new Map<string, RenderTargetTexture>();

  private targetFor(width: number, height: number, role: 'main' | 'wide' = 'main'): RenderTargetTexture {
    const existing = this.targets.get(role);
    const size = existing?.getSize();
    if (existing && size?.width === width && size.height === height) return existing;
    existing?.dispose();
    const target = new RenderTargetTexture(
      'idPass',
      { width, height },
      this.scene,
      {
        generateMipMaps: false,
        type: Constants.TEXTURETYPE_UNSIGNED_BYTE,
        samplingMode: Constants.TEXTURE_NEAREST_SAMPLINGMODE,
        generateDepthBuffer: true,
        samples: 1,
      },
    );
    target.clearColor = new Color4(0, 0, 0, 0);
    target.refreshRate = RenderTargetTexture.REFRESHRATE_RENDER_ONCE;
    target.noPrePassRenderer = true;
    this.targets.set(role, target);
    return target;
  }

  private materialFor(
    mesh: AbstractMesh,
    partIndex: number,
    surfaceBits: number,
    seeThrough: boolean,
  ): ShaderMaterial {
    let material = this.materials.get(mesh);
    if (!material) {
      material = new ShaderMaterial(
        `id:${mesh.name}`,
        this.scene,
        { vertexSource: VERTEX, fragmentSource: FRAGMENT },
        {
          attributes: ['position', 'normal'],
          uniforms: ['viewProjection', 'partIndex', 'amodalInstance', 'dfKindBits', 'seeThrough', 'world'],
          samplers: ['dfDamageTex'],
          defines: surfaceBits > 0 ? ['#define DF_DAMAGE'] : [],
          needAlphaBlending: false,
        },
      );
      const source = mesh.material;
      material.backFaceCulling = source ? source.backFaceCulling : true;
      material.sideOrientation = source?.sideOrientation ?? null;
      material.setTexture('dfDamageTex', this.field.texture);
      this.materials.set(mesh, material);
    }
    this.surfaceBits.set(mesh, surfaceBits);
    material.setFloat('partIndex', partIndex);
    material.setFloat('amodalInstance', -1);
    material.setFloat('dfKindBits', surfaceBits);
    material.setFloat('seeThrough', seeThrough && mesh.material?.needAlphaBlending() ? 1 : 0);
    return material;
  }

  private background: ShaderMaterial | null = null;

  private backgroundMaterial(): ShaderMaterial {
    if (!this.background) {
      this.background = new ShaderMaterial(
        'id:background',
        this.scene,
        {
          vertexSource: VERTEX,
          fragmentSource: `precision highp float;
            void main(void) { gl_FragColor = vec4(0.0, 0.0, 0.0, 1.0); }`,
        },
        {
          attributes: ['position', 'normal'],
          uniforms: ['viewProjection', 'world'],
        },
      );
      this.background.backFaceCulling = false;
    }
    return this.background;
  }

  private async whenReady(target: RenderTargetTexture): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (target.isReadyForRendering()) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('ID pass: shaders did not become ready within 10 s');
  }
}

