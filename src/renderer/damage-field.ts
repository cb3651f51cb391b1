/**
 * The damage field: one GLSL function, evaluated per fragment in world space,
 * that both the colour pass (bending normals, changing albedo) and the ID
 * pass (labelling pixels) call with the same inputs. Because both passes run
 * the same code on the same interpolated position and normal, a label covers
 * exactly the pixels the damage changed, at any mesh density.
 *
 * Damage entries live in a small float texture: texel 0 holds the entry
 * count, then five texels per entry:
 *   t0 = (type, instance index, label fraction, 0)   type 1 dent, 2 scratch
 *   t1 = dent centre | scratch start, w = radius | half width   (metres)
 *   t2 = dent normal, w = depth | scratch end                   (metres)
 *   t3 = scratch surface normal | dent crease direction, w = widest half width | elongation
 *   t4 = centre and radius of a sphere outside which the entry does nothing (entryReach)
 */
import {
  Constants,
  MaterialPluginBase,
  RawTexture,
  type Material,
  type Matrix,
  type Scene,
  type UniformBuffer,
} from '@babylonjs/core';

/** What a paint finish adds in the shader: flake tilt (0 none) and pearl shift (0 none). */
export interface PaintFinishLook {
  flake: number;
  pearl: number;
}

/** Most entries one job can carry; a scratch uses one entry per segment. */
export const MAX_DAMAGE_ENTRIES = 96;
const TEXELS_PER_ENTRY = 5;
const TEXTURE_WIDTH = 1 + TEXELS_PER_ENTRY * MAX_DAMAGE_ENTRIES;

/** A stroke labels points within this distance of its line besides its half width (metres): the label test's reach along the normal. */
export const STROKE_REACH_M = 0.03;

export const DAMAGE_TYPE_DENT = 1;
export const DAMAGE_TYPE_SCRATCH = 2;
export const DAMAGE_TYPE_CRACK = 3;
export const DAMAGE_TYPE_GLASS_SHATTER = 4;
export const DAMAGE_TYPE_LAMP_BROKEN = 5;
export const DAMAGE_TYPE_TIRE_FLAT = 6;

export interface DamageEntry {
  type: 1 | 2 | 3 | 4 | 5 | 6;
  instance: number;
  labelFraction: number;
  /** Seed of the entry's own pattern (spokes of a shatter), 0 to 1000. */
  seed: number;
  a: [number, number, number];
  aw: number;
  b: [number, number, number];
  bw: number;
  normal: [number, number, number];
  /**
   * Fourth value of t3: a dent's elongation (1 = round); a stroke's widest
   * label half width (metres), set for the camera by capStrokeWidths.
   */
  nw?: number;
}

/**
 * GLSL shared by both passes. Needs `dfDamageTex` (sampler2D) and
 * `dfKindBits` (float: the surface bits of the material being drawn).
 * Dents: a smooth bowl, labelled where it is pushed in by more than a share
 * of its depth. The bowl bends normals per fragment, so it needs no mesh
 * detail to show.
 * TODO: dents do not move geometry, so a dent on the car's outline leaves
 * the silhouette straight; close-ups at grazing angles would need vertex
 * displacement on a refined mesh. Scratches and cracks: strokes along the surface, at least
 * about a pixel wide. Glass shatter and broken lamps: a disc with a ragged
 * rim, radial and ring cracks and, for lamps, a crushed centre; labelled
 * over the whole broken region.
 */
export const DAMAGE_FIELD_GLSL = /* glsl */ `
struct DfHit { float instance; float type; vec3 tilt; float pattern; };
float dfHash(float n) { return fract(sin(n * 12.9898) * 43758.5453); }
// p relative to centre c: xyz its offset in the plane across nd, w its height along nd.
vec4 dfTangentOffset(vec3 p, vec3 c, vec3 nd) { vec3 d = p - c; float dn = dot(d, nd); return vec4(d - dn * nd, dn); }
DfHit dfEvaluate(vec3 p, vec3 n) {
  DfHit hit; hit.instance = -1.0; hit.type = 0.0; hit.tilt = vec3(0.0); hit.pattern = 0.0;
  // Derivatives only in uniform control flow, so before the loop.
  float pixelSize = length(fwidth(p));
  int kinds = int(dfKindBits + 0.5);
  int count = int(texelFetch(dfDamageTex, ivec2(0, 0), 0).r + 0.5);
  for (int e = 0; e < ${MAX_DAMAGE_ENTRIES}; e++) {
    if (e >= count) break;
    int x = 1 + ${TEXELS_PER_ENTRY} * e;
    // Most entries are far from most fragments: one fetch rules them out.
    vec4 reach = texelFetch(dfDamageTex, ivec2(x + 4, 0), 0);
    vec3 fromCentre = p - reach.xyz;
    if (dot(fromCentre, fromCentre) > reach.w * reach.w) continue;
    vec4 t0 = texelFetch(dfDamageTex, ivec2(x, 0), 0);
    vec4 t1 = texelFetch(dfDamageTex, ivec2(x + 1, 0), 0);
    vec4 t2 = texelFetch(dfDamageTex, ivec2(x + 2, 0), 0);
    int type = int(t0.x + 0.5);
    int surface = type <= 2 ? 1 : (type == 3 ? 2 : (type == 4 ? 4 : (type == 5 ? 8 : 16)));
    if ((kinds & surface) == 0) continue;
    if (type == 1) {
      vec3 nd = t2.xyz;
      if (dot(n, nd) < 0.5) continue;
      vec4 o = dfTangentOffset(p, t1.xyz, nd);
      float r = t1.w;
      if (abs(o.w) > 0.5 * r) continue;
      vec3 dt = o.xyz;
      // A crease stretches the bowl along its direction.
      vec4 t3 = texelFetch(dfDamageTex, ivec2(x + 3, 0), 0);
      float e = max(t3.w, 1.0);
      float along = dot(dt, t3.xyz);
      vec3 across = dt - along * t3.xyz;
      float s2 = (along * along) / (r * r * e * e) + dot(across, across) / (r * r);
      if (s2 >= 1.0) continue;
      float k = 1.0 - s2;
      hit.tilt += (-4.0 * t2.w * k / (r * r)) * (across + t3.xyz * (along / (e * e)));
      if (k * k > t0.z) { hit.instance = t0.y; hit.type = 1.0; }
    } else if (type <= 3) {
      vec4 t3 = texelFetch(dfDamageTex, ivec2(x + 3, 0), 0);
      vec3 nd = t3.xyz;
      if (dot(n, nd) < 0.3) continue;
      vec3 ab = t2.xyz - t1.xyz;
      float t = clamp(dot(p - t1.xyz, ab) / max(dot(ab, ab), 1e-12), 0.0, 1.0);
      vec4 o = dfTangentOffset(p, t1.xyz + t * ab, nd);
      if (abs(o.w) > ${STROKE_REACH_M}) continue;
      vec3 dt = o.xyz;
      // At least about one pixel wide: a thinner stroke would fall between
      // pixel centres and leave a dotted label and an invisible line. The
      // pixel's footprint is unbounded on a triangle seen edge-on, so it
      // widens the stroke only up to the cap set for the camera.
      float halfWidth = max(t1.w, min(0.6 * pixelSize, t3.w));
      // pattern: 1 clear coat, 2 primer, 3 bare metal (scratches); 1 for cracks.
      if (dot(dt, dt) < halfWidth * halfWidth) { hit.instance = t0.y; hit.type = float(type); hit.pattern = 1.0 + t2.w; }
    } else if (type == 6) {
      // A flat tyre is labelled where it bulges: its lower part, on this wheel.
      vec3 d = p - t1.xyz;
      if (d.y < -0.15 * t1.w && abs(d.x) < t2.y * 1.8 && length(d.yz) < t1.w * 1.3) { hit.instance = t0.y; hit.type = 6.0; }
    } else {
      vec3 nd = t2.xyz;
      if (dot(n, nd) < 0.2) continue;
      vec4 o = dfTangentOffset(p, t1.xyz, nd);
      float r = t1.w;
      // Thin: the break stays on the glass or lens it was placed on and does
      // not reach a lamp's inner parts a few centimetres behind it.
      if (abs(o.w) > 0.25 * r) continue;
      vec3 dt = o.xyz;
      vec3 u = normalize(cross(nd, abs(nd.y) < 0.9 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0)));
      vec3 v = cross(nd, u);
      float angle = atan(dot(dt, v), dot(dt, u));
      float rho = length(dt) / r;
      float seed = t0.w;
      float rim = 1.0 - 0.18 * (0.5 + 0.5 * sin(angle * 5.0 + seed) * sin(angle * 3.0 + seed * 1.7));
      if (rho >= rim) continue;
      hit.instance = t0.y;
      hit.type = float(type);
      // Lines thin out towards the rim, never under about a pixel.
      float line = max(0.0012 * (1.3 - 0.7 * rho), 0.6 * pixelSize);
      // Radial cracks: each of its own length, bending a little on the way out.
      float spokes = 9.0 + floor(dfHash(seed) * 8.0);
      float a = (angle + 3.14159265) / 6.2831853 * spokes;
      float sector = floor(a);
      float bend = 0.22 * sin(rho * (5.0 + 4.0 * dfHash(sector + seed + 1.0)) + seed);
      float offset = (dfHash(sector + seed) - 0.5) * 0.5 + bend;
      float spoke = abs(fract(a) - 0.5 - offset) * (6.2831853 / spokes) * length(dt);
      bool spokeHere = spoke < line && rho < 0.45 + 0.6 * dfHash(sector + seed + 11.0);
      // Ring cracks: broken arcs, some sectors of a ring cracked and others not.
      float rings = 2.0 + floor(dfHash(seed + 3.0) * 3.0);
      float ringPhase = rho * rings + dfHash(sector + seed + 7.0) * 0.4;
      float ring = abs(fract(ringPhase) - 0.5) * r / rings;
      bool ringHere = ring < line * 0.8 && dfHash(sector * 7.0 + floor(ringPhase) + seed + 5.0) > 0.4;
      // Each crack catches the light by its own amount.
      float glint = 0.55 + 0.45 * dfHash(sector + floor(ringPhase) * 3.0 + seed + 13.0);
      // The impact point is crushed; round it the glass is hazed, most near the centre.
      float crushed = rho < (type == 5 ? 0.3 : 0.06) ? 1.0 : 0.0;
      float haze = 0.08 + 0.16 * (1.0 - rho) * (1.0 - rho);
      hit.pattern = max(crushed, spokeHere || ringHere ? glint : haze);
    }
  }
  return hit;
}
`;

/** Slack on an entry's reach for float32 arithmetic on the GPU (metres). */
const REACH_SLACK_M = 1e-3;

/**
 * A sphere (centre, radius) outside which `entry` changes nothing in
 * dfEvaluate: neither label nor shading. From each type's own test:
 *   dent: tangent offset within r times the elongation, height within r / 2;
 *   stroke: within its widest half width of the segment, 3 cm off it;
 *   flat tyre: |x| under 1.8 half widths, |(y, z)| under 1.3 r from the axle;
 *   glass or lamp: tangent offset within r, height within r / 4.
 */
export function entryReach(entry: DamageEntry): [number, number, number, number] {
  const r = entry.aw;
  let centre = entry.a;
  let radius: number;
  if (entry.type === DAMAGE_TYPE_DENT) {
    radius = Math.hypot(r * Math.max(entry.nw ?? 1, 1), 0.5 * r);
  } else if (entry.type === DAMAGE_TYPE_SCRATCH || entry.type === DAMAGE_TYPE_CRACK) {
    centre = [0, 1, 2].map((i) => (entry.a[i] + entry.b[i]) / 2) as [number, number, number];
    const half = Math.hypot(entry.b[0] - entry.a[0], entry.b[1] - entry.a[1], entry.b[2] - entry.a[2]) / 2;
    radius = half + Math.hypot(Math.max(entry.aw, entry.nw ?? 0), STROKE_REACH_M);
  } else if (entry.type === DAMAGE_TYPE_TIRE_FLAT) {
    radius = Math.hypot(1.8 * entry.b[1], 1.3 * r);
  } else {
    radius = Math.hypot(r, 0.25 * r);
  }
  return [...centre, radius + REACH_SLACK_M];
}

/** How far a surface may turn from the camera before a stroke stops widening to stay a pixel wide: the footprint's cap in face-on footprints. */
const STROKE_SLANT_FOOTPRINTS = 4;

/**
 * Sets each stroke's widest label half width (`nw`) for a camera with
 * `view` and `projection` drawing `sampledWidth` x `sampledHeight` samples.
 * A sample's footprint on a surface facing the camera at view depth z is
 * f = 2 z / (P00 sampledWidth) across and 2 z / (P11 sampledHeight) up; the
 * shader's length(fwidth(p)) is at most 2 f there and grows as 1 / cos of
 * the slant. It is capped at STROKE_SLANT_FOOTPRINTS times 2 f at the
 * stroke's far end (slants to about 80 degrees), so the label keeps its
 * minimum width on any surface a camera sees, yet stays within a known
 * distance of the stroke (see damage-bounds).
 */
export function capStrokeWidths(entries: readonly DamageEntry[], view: Matrix, projection: Matrix, sampledWidth: number, sampledHeight: number): void {
  const v = view.m;
  const p = projection.m;
  const perDepth = Math.max(2 / (Math.abs(p[0]) * sampledWidth), 2 / (Math.abs(p[5]) * sampledHeight));
  const depth = (q: readonly number[]) => q[0] * v[2] + q[1] * v[6] + q[2] * v[10] + v[14];
  for (const e of entries) {
    if (e.type !== DAMAGE_TYPE_SCRATCH && e.type !== DAMAGE_TYPE_CRACK) continue;
    // The far end, plus the stroke's reach off the line, covers the whole label.
    const far = Math.max(depth(e.a), depth(e.b)) + STROKE_REACH_M;
    e.nw = Math.max(e.aw, 0.6 * STROKE_SLANT_FOOTPRINTS * 2 * perDepth * Math.max(far, 0));
  }
}

/**
 * Vertex-side GLSL shared by both passes: a flat tyre bulges. Below the
 * axle its sidewall swells outwards and its contact patch spreads along the
 * ground, by up to about `drop`. World space, metres.
 */
export const DAMAGE_DEFORM_GLSL = /* glsl */ `
vec3 dfDeform(vec3 w) {
  if ((int(dfKindBits + 0.5) & 16) == 0) return w;
  int count = int(texelFetch(dfDamageTex, ivec2(0, 0), 0).r + 0.5);
  for (int e = 0; e < ${MAX_DAMAGE_ENTRIES}; e++) {
    if (e >= count) break;
    int x = 1 + ${TEXELS_PER_ENTRY} * e;
    vec4 t0 = texelFetch(dfDamageTex, ivec2(x, 0), 0);
    if (int(t0.x + 0.5) != 6) continue;
    vec4 t1 = texelFetch(dfDamageTex, ivec2(x + 1, 0), 0);
    vec4 t2 = texelFetch(dfDamageTex, ivec2(x + 2, 0), 0);
    vec3 d = w - t1.xyz;
    float r = t1.w;
    if (abs(d.x) > t2.y * 1.6 || length(d.yz) > r * 1.15) continue;
    float drop = t2.z;
    // Only outwards, never inwards: the deflated tyre covers more of the image,
    // not less, so what it changes stays on the tyre and inside its label.
    float below = clamp(-d.y / r, 0.0, 1.0);
    float along = 1.0 - clamp(abs(d.z) / (r * 1.15), 0.0, 1.0);
    w.x += sign(d.x) * 1.2 * drop * below * below * along;
    w.z += sign(d.z) * 1.5 * drop * below * below;
  }
  return w;
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
      d.set([e.type, e.instance, e.labelFraction, e.seed], o);
      d.set([...e.a, e.aw], o + 4);
      d.set([...e.b, e.bw], o + 8);
      d.set([...e.normal, e.nw ?? 0], o + 12);
      d.set(entryReach(e), o + 16);
    });
    this.texture.update(d);
  }
}

/**
 * Adds the damage field to a PBR material of the car: dents bend the shading
 * and clear-coat normals; scratches cut through the clear coat to a lighter,
 * rougher layer; cracks are dark lines in plastic; broken glass turns milky
 * with white cracks; a broken lamp shows its dark inside through the cracks.
 */
export class DamagePaintPlugin extends MaterialPluginBase {
  constructor(
    material: Material,
    private readonly field: DamageFieldTexture,
    /** Surface bits of this material (see surface-kinds). */
    private readonly kindBits: number,
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

  override getUniforms() {
    return {
      ubo: [
        { name: 'dfKindBits', size: 1, type: 'float' },
        { name: 'dfFinish', size: 2, type: 'vec2' },
      ],
      vertex: 'uniform float dfKindBits;\nuniform vec2 dfFinish;',
      fragment: 'uniform float dfKindBits;\nuniform vec2 dfFinish;',
    };
  }

  // The texture object never changes, only its contents, so binding it
  // whenever the material binds is enough.
  override bindForSubMesh(ubo: UniformBuffer): void {
    ubo.updateFloat('dfKindBits', this.kindBits);
    const finish = (this._material.metadata as { paintFinish?: PaintFinishLook } | null)?.paintFinish;
    ubo.updateFloat2('dfFinish', finish?.flake ?? 0, finish?.pearl ?? 0);
    ubo.setTexture('dfDamageTex', this.field.texture);
  }

  override getCustomCode(shaderType: string): Record<string, string> | null {
    if (shaderType === 'vertex') {
      return {
        CUSTOM_VERTEX_DEFINITIONS: `uniform sampler2D dfDamageTex;\n${DAMAGE_DEFORM_GLSL}`,
        CUSTOM_VERTEX_UPDATE_WORLDPOS: 'worldPos.xyz = dfDeform(worldPos.xyz); vPositionW = worldPos.xyz;',
      };
    }
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
        // Paint finish, on undamaged paint only. Metallic flakes: each half-
        // millimetre cell of the base coat tilts its own way under the smooth
        // clear coat (glitter in the sun). Pearl: the colour shifts towards
        // a cooler tint at grazing angles.
        if (dfHit.type < 0.5 && (dfFinish.x > 0.0 || dfFinish.y > 0.0)) {
          vec3 cell = floor(vPositionW * 2000.0);
          vec3 flake = vec3(dfHash(dot(cell, vec3(1.0, 57.0, 113.0))), dfHash(dot(cell, vec3(7.0, 91.0, 31.0))), dfHash(dot(cell, vec3(13.0, 17.0, 71.0)))) - 0.5;
          normalW = normalize(normalW + dfFinish.x * flake);
          float grazing = 1.0 - clamp(dot(normalize(vEyePosition.xyz - vPositionW), geometricNormalW), 0.0, 1.0);
          surfaceAlbedo = mix(surfaceAlbedo, surfaceAlbedo.brg * 0.6 + vec3(0.05, 0.08, 0.12), dfFinish.y * grazing * grazing);
        }
        float dfRough = 0.0;
        float dfRoughWeight = 0.0;
        // Where a cut goes through the clear coat (1 keeps it) and replaces
        // the base coat's metalness (dfMetalWeight 1 sets it to dfMetal).
        float dfCoat = 1.0;
        float dfMetal = 0.0;
        float dfMetalWeight = 0.0;
        if (dfHit.type > 1.5 && dfHit.type < 2.5) {
          // The deeper the cut, the further from the paint: a whitish scuff
          // in the clear coat over the base colour; matte grey primer with
          // neither clear coat nor metal flake; or bright bare steel.
          if (dfHit.pattern < 1.5) {
            surfaceAlbedo = mix(surfaceAlbedo, vec3(0.8), 0.45);
            dfRough = 0.7; dfRoughWeight = 1.0; dfCoat = 0.15;
          } else if (dfHit.pattern < 2.5) {
            surfaceAlbedo = vec3(0.42, 0.43, 0.45);
            dfRough = 0.85; dfRoughWeight = 1.0; dfCoat = 0.0; dfMetalWeight = 1.0;
          } else {
            surfaceAlbedo = vec3(0.72, 0.72, 0.74);
            dfRough = 0.3; dfRoughWeight = 1.0; dfCoat = 0.0; dfMetal = 1.0; dfMetalWeight = 1.0;
          }
        } else if (dfHit.type > 2.5 && dfHit.type < 3.5) {
          // Dark plastic whitens along a crack; lighter or painted plastic opens dark.
          float dfLuma = dot(surfaceAlbedo, vec3(0.2126, 0.7152, 0.0722));
          surfaceAlbedo = mix(surfaceAlbedo, dfLuma < 0.12 ? vec3(0.3) : vec3(0.015), 0.92);
          dfRough = 0.9; dfRoughWeight = 1.0;
        } else if (dfHit.type > 3.5 && dfHit.type < 4.5) {
          surfaceAlbedo = mix(surfaceAlbedo + vec3(0.12), vec3(0.88), dfHit.pattern);
          alpha = max(alpha, 0.55 + 0.45 * dfHit.pattern);
          dfRough = 0.55; dfRoughWeight = dfHit.pattern;
        } else if (dfHit.type > 4.5) {
          surfaceAlbedo = mix(surfaceAlbedo * 0.25, vec3(0.85), dfHit.pattern > 0.5 ? 0.8 * dfHit.pattern : 0.0);
          alpha = max(alpha, 0.8);
          dfRough = 0.7; dfRoughWeight = 0.8;
        }
      `,
      '!float roughness=reflectivityOut\\.roughness;':
        'float roughness=mix(reflectivityOut.roughness,dfRough,dfRoughWeight);',
      // Metalness: the uniform, and the metal map where the model has one.
      '!reflectivityOut=reflectivityBlock\\(\\s*vReflectivityColor':
        'reflectivityOut=reflectivityBlock(vec4(mix(vReflectivityColor.r,dfMetal,dfMetalWeight),vReflectivityColor.gba)',
      '!vec4 baseReflectivity=surfaceMetallicOrReflectivityColorMap;':
        'if(dfMetalWeight>0.5){surfaceMetallicOrReflectivityColorMap=vec4(1.0);}vec4 baseReflectivity=surfaceMetallicOrReflectivityColorMap;',
      '!clearcoatOut=clearcoatBlock\\(\\s*vPositionW\\s*,geometricNormalW\\s*,viewDirectionW\\s*,vClearCoatParams':
        'clearcoatOut=clearcoatBlock(vPositionW,geometricNormalW,viewDirectionW,vec2(vClearCoatParams.x*dfCoat,vClearCoatParams.y)',
    };
  }
}
