/**
 * In-memory description of a glTF 2.0 scene, just rich enough for the
 * procedural car. `writeGlb` turns it into a binary GLB file.
 *
 * All lengths are in metres; the coordinate system is glTF's (right-handed,
 * +y up). Colours are linear (not sRGB) in [0, 1].
 */

/** A 3-component vector, in metres for positions. */
export type Vec3 = readonly [number, number, number];

/** Linear RGBA colour, each channel in [0, 1]. */
export type Rgba = readonly [number, number, number, number];

/** Linear RGB colour, each channel in [0, 1]. */
export type Rgb = readonly [number, number, number];

/**
 * One triangle list drawn with a single material.
 *
 * Triangles are counter-clockwise when seen from the side the normal points
 * to, as glTF requires for front faces.
 */
export interface GlbPrimitive {
  /** x, y, z per vertex, metres. */
  readonly positions: Float32Array;
  /** Unit normal per vertex (x, y, z). Same length as `positions`. */
  readonly normals: Float32Array;
  /** Optional u, v per vertex. */
  readonly texcoords?: Float32Array;
  /** Three vertex indices per triangle. */
  readonly indices: Uint32Array;
  /** Index into `GlbScene.materials`. */
  readonly material: number;
}

/** A named mesh made of one or more primitives. */
export interface GlbMesh {
  readonly name: string;
  readonly primitives: readonly GlbPrimitive[];
}

/** Clear-coat layer parameters (KHR_materials_clearcoat). */
export interface GlbClearcoat {
  /** Layer strength in [0, 1]. */
  readonly factor: number;
  /** Layer roughness in [0, 1]. */
  readonly roughness: number;
}

/** A metallic-roughness PBR material. */
export interface GlbMaterial {
  /** The renderer finds materials by this name, so keep it stable. */
  readonly name: string;
  /** Linear RGBA base colour. */
  readonly baseColorFactor: Rgba;
  /** 0 = dielectric, 1 = metal. */
  readonly metallicFactor: number;
  /** 0 = mirror, 1 = fully rough. */
  readonly roughnessFactor: number;
  /** Linear RGB emission; omitted means black. */
  readonly emissiveFactor?: Rgb;
  /** Render back faces too; default false. */
  readonly doubleSided?: boolean;
  /** Optional clear-coat layer (e.g. car paint). */
  readonly clearcoat?: GlbClearcoat;
}

/** A scene-graph node. */
export interface GlbNode {
  /** The renderer finds parts by this name, so keep it stable. */
  readonly name: string;
  /** Index into `GlbScene.meshes`. */
  readonly mesh?: number;
  /** Offset from the parent node, metres. */
  readonly translation?: Vec3;
  /** Indices into `GlbScene.nodes`. */
  readonly children?: readonly number[];
}

/** Everything needed to write one GLB file with a single scene. */
export interface GlbScene {
  readonly materials: readonly GlbMaterial[];
  readonly meshes: readonly GlbMesh[];
  readonly nodes: readonly GlbNode[];
  /** Indices of the nodes placed directly in the scene. */
  readonly roots: readonly number[];
}
