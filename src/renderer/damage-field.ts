/**
 * The damage field: one GLSL function, evaluated per fragment in world space,
 * that both the colour pass (bending normals, changing albedo) and the ID
 * pass (labelling pixels) call with the same inputs. Because both passes run
 * the same code on the same interpolated position and normal, a label covers
 * exactly the pixels the damage changed, at any mesh density.
 *
 * Damage entries live in a small float texture: texel 0 holds the entry
 * count, then four texels per entry:
 *   t0 = (type, instance index, label fraction, 0)   type 1 dent, 2 scratch
 *   t1 = dent centre | scratch start, w = radius | half width   (metres)
 *   t2 = dent normal, w = depth | scratch end                   (metres)
 *   t3 = scratch surface normal
 */
import {
  Constants,
  MaterialPluginBase,
  RawTexture,
  type Material,
  type Scene,
  type UniformBuffer,
} from '@babylonjs/core';

/** Most entries one job can carry; a scratch uses one entry per segment. */
export const MAX_DAMAGE_ENTRIES = 96;
const TEXELS_PER_ENTRY = 4;
const TEXTURE_WIDTH = 1 + TEXELS_PER_ENTRY * MAX_DAMAGE_ENTRIES;

export const DAMAGE_TYPE_DENT = 1;
export const DAMAGE_TYPE_SCRATCH = 2;

export interface DamageEntry {
  type: typeof DAMAGE_TYPE_DENT | typeof DAMAGE_TYPE_SCRATCH;
  instance: number;
  labelFraction: number;
  a: [number, number, number];
  aw: number;
  b: [number, number, number];
  bw: number;
  normal: [number, number, number];
}

/** GLSL shared by both passes. Needs `dfDamageTex` declared as a sampler2D. */
export const DAMAGE_FIELD_GLSL = /* glsl */ `
struct DfHit { float instance; float type; vec3 tilt; };
DfHit dfEvaluate(vec3 p, vec3 n) {
  DfHit hit; hit.instance = -1.0; hit.type = 0.0; hit.tilt = vec3(0.0);
  // Derivatives only in uniform control flow, so before the loop.
  float pixelSize = length(fwidth(p));
  int count = int(texelFetch(dfDamageTex, ivec2(0, 0), 0).r + 0.5);
  for (int e = 0; e < ${MAX_DAMAGE_ENTRIES}; e++) {
    if (e >= count) break;
    int x = 1 + ${TEXELS_PER_ENTRY} * e;
    vec4 t0 = texelFetch(dfDamageTex, ivec2(x, 0), 0);
    vec4 t1 = texelFetch(dfDamageTex, ivec2(x + 1, 0), 0);
    vec4 t2 = texelFetch(dfDamageTex, ivec2(x + 2, 0), 0);
    if (t0.x < 1.5) {
      vec3 nd = t2.xyz;
      if (dot(n, nd) < 0.5) continue;
      vec3 d = p - t1.xyz;
      float dn = dot(d, nd);
      float r = t1.w;
      if (abs(dn) > 0.5 * r) continue;
      vec3 dt = d - dn * nd;
      float s2 = dot(dt, dt) / (r * r);
      if (s2 >= 1.0) continue;
      float k = 1.0 - s2;
      hit.tilt += (-4.0 * t2.w * k / (r * r)) * dt;
      if (k * k > t0.z) { hit.instance = t0.y; hit.type = 1.0; }
    } else {
      vec4 t3 = texelFetch(dfDamageTex, ivec2(x + 3, 0), 0);
      vec3 nd = t3.xyz;
      if (dot(n, nd) < 0.3) continue;
      vec3 ab = t2.xyz - t1.xyz;
      float t = clamp(dot(p - t1.xyz, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
      vec3 d = p - (t1.xyz + t * ab);
      float dn = dot(d, nd);
      if (abs(dn) > 0.03) continue;
      vec3 dt = d - dn * nd;
      // At least about one pixel wide: a thinner stroke would fall between
      // pixel centres and leave a dotted label and an invisible scratch.
      float halfWidth = max(t1.w, 0.6 * pixelSize);
      if (dot(dt, dt) < halfWidth * halfWidth) { hit.instance = t0.y; hit.type = 2.0; }
    }
  }
  return hit;
}
`;

/** Owns the entry texture of one scene and rewrites it for each job. */
export class DamageFieldTexture {
  readonly texture: RawTexture;
  private readonly data = new Float32Array(TEXTURE_WIDTH * 4);

  constructor(scene: Scene) {
    this.texture = RawTexture.CreateRGBATexture(
      this.data,
      TEXTURE_WIDTH,
      1,
      scene,
      false,
      false,
      Constants.TEXTURE_NEAREST_SAMPLINGMODE,
      Constants.TEXTURETYPE_FLOAT,
    );
  }

  update(entries: readonly DamageEntry[]): void {
    if (entries.length > MAX_DAMAGE_ENTRIES) {
      throw new Error(
        `too many damage entries: ${entries.length} > ${MAX_DAMAGE_ENTRIES}; lower damage counts or scratch segments`,
      );
    }
    const d = this.data;
    d.fill(0);
    d[0] = entries.length;
    entries.forEach((e, i) => {
      const o = 4 * (1 + TEXELS_PER_ENTRY * i);
      d.set([e.type, e.instance, e.labelFraction, 0], o);
      d.set([...e.a, e.aw], o + 4);
      d.set([...e.b, e.bw], o + 8);
      d.set([...e.normal, 0], o + 12);
    });
    this.texture.update(d);
  }
}

/**
 * Adds the damage field to a PBR paint material: dents bend the shading and
 * clear-coat normals; scratches cut through the clear coat to a lighter,
 * rougher layer.
 */
export class DamagePaintPlugin extends MaterialPluginBase {
  constructor(
    material: Material,
    private readonly field: DamageFieldTexture,
  ) {
    super(material, 'DamagePaint', 200, { DF_DAMAGE: false });
    this._enable(true);
  }

  override prepareDefines(defines: Record<string, unknown>): void {
    defines['DF_DAMAGE'] = true;
  }

  override getClassName(): string {
    return 'DamagePaintPlugin';
  }

  override getSamplers(samplers: string[]): void {
    samplers.push('dfDamageTex');
  }

  // The texture object never changes, only its contents, so binding it
  // whenever the material binds is enough.
  override bindForSubMesh(ubo: UniformBuffer): void {
    ubo.setTexture('dfDamageTex', this.field.texture);
  }

  override getCustomCode(shaderType: string): Record<string, string> | null {
    if (shaderType !== 'fragment') return null;
    return {
      CUSTOM_FRAGMENT_DEFINITIONS: `uniform sampler2D dfDamageTex;\n${DAMAGE_FIELD_GLSL}`,
      CUSTOM_FRAGMENT_UPDATE_ALPHA: `
        #ifdef NORMAL
        DfHit dfHit = dfEvaluate(vPositionW, normalize(vNormalW));
        #else
        DfHit dfHit = dfEvaluate(vPositionW, normalW);
        #endif
        normalW = normalize(normalW + dfHit.tilt);
        geometricNormalW = normalize(geometricNormalW + dfHit.tilt);
        float dfScratch = dfHit.type > 1.5 ? 1.0 : 0.0;
        surfaceAlbedo = mix(surfaceAlbedo, vec3(0.42, 0.42, 0.40), 0.85 * dfScratch);
      `,
      '!float roughness=reflectivityOut\\.roughness;':
        'float roughness=mix(reflectivityOut.roughness,0.75,dfScratch);',
    };
  }
}
