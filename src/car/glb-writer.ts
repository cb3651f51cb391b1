/**
 * Minimal binary glTF 2.0 (GLB) writer.
 *
 * Layout: 12-byte header, a JSON chunk padded with spaces and one BIN chunk
 * padded with zeros, both to 4 bytes as the GLB spec requires. Every
 * attribute and index array gets its own tightly packed bufferView that
 * starts on a 4-byte boundary, so no byteStride is needed.
 *
 * The output depends only on the input: object keys are emitted in a fixed
 * order and all binary data is written little-endian explicitly.
 */
import type {
  GlbMaterial,
  GlbNode,
  GlbPrimitive,
  GlbScene,
} from './glb-types';

const GLB_MAGIC = 0x46546c67; // "glTF"
const GLB_VERSION = 2;
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;
const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const UNSIGNED_INT = 5125;
const TRIANGLES = 4;

const CLEARCOAT_EXT = 'KHR_materials_clearcoat';

/** Generator string stored in `asset.generator`. */
export const GLB_GENERATOR = 'dentfarm procedural car';

type Json = Record<string, unknown>;

/** Collects byte blocks for the BIN chunk, each 4-byte aligned. */
class BinBuilder {
  private readonly blocks: Uint8Array[] = [];
  private length = 0;
  readonly views: Json[] = [];

  /** Appends a block and returns the index of its new bufferView. */
  add(bytes: Uint8Array, target: number): number {
    const offset = this.length;
    const padded = align4(bytes.length);
    const block = new Uint8Array(padded);
    block.set(bytes);
    this.blocks.push(block);
    this.length += padded;
    this.views.push({
      buffer: 0,
      byteOffset: offset,
      byteLength: bytes.length,
      target,
    });
    return this.views.length - 1;
  }

  get byteLength(): number {
    return this.length;
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const b of this.blocks) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function floatBytes(data: Float32Array, what: string): Uint8Array {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new RangeError(`${what}: non-finite value at ${i}`);
    }
    view.setFloat32(i * 4, v, true);
  }
  return bytes;
}

function indexBytes(indices: Uint32Array, wide: boolean): Uint8Array {
  const size = wide ? 4 : 2;
  const bytes = new Uint8Array(indices.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < indices.length; i++) {
    if (wide) view.setUint32(i * 4, indices[i], true);
    else view.setUint16(i * 2, indices[i], true);
  }
  return bytes;
}

/** Per-component min and max of a vec3 array, as stored (float32). */
function vec3Bounds(p: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      // Reading a Float32Array already yields the float32 value, so the
      // bounds match the stored data bit for bit, as the spec requires.
      const v = p[i + c];
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
    }
  }
  return { min, max };
}

function checkPrimitive(
  p: GlbPrimitive,
  where: string,
  materialCount: number,
): number {
  if (p.positions.length === 0 || p.positions.length % 3 !== 0) {
    throw new RangeError(`${where}: positions must be non-empty vec3`);
  }
  const n = p.positions.length / 3;
  if (p.normals.length !== n * 3) {
    throw new RangeError(`${where}: normals length must match positions`);
  }
  if (p.texcoords && p.texcoords.length !== n * 2) {
    throw new RangeError(`${where}: texcoords must be vec2 per vertex`);
  }
  if (p.indices.length === 0 || p.indices.length % 3 !== 0) {
    throw new RangeError(`${where}: indices must be whole triangles`);
  }
  for (let i = 0; i < p.indices.length; i++) {
    if (p.indices[i] >= n) {
      throw new RangeError(`${where}: index ${p.indices[i]} >= ${n}`);
    }
  }
  if (
    !Number.isInteger(p.material) ||
    p.material < 0 ||
    p.material >= materialCount
  ) {
    throw new RangeError(`${where}: bad material ${p.material}`);
  }
  return n;
}

function materialJson(m: GlbMaterial): Json {
  const out: Json = {
    name: m.name,
    pbrMetallicRoughness: {
      baseColorFactor: [...m.baseColorFactor],
      metallicFactor: m.metallicFactor,
      roughnessFactor: m.roughnessFactor,
    },
  };
  if (m.emissiveFactor) out.emissiveFactor = [...m.emissiveFactor];
  if (m.doubleSided) out.doubleSided = true;
  if (m.clearcoat) {
    out.extensions = {
      [CLEARCOAT_EXT]: {
        clearcoatFactor: m.clearcoat.factor,
        clearcoatRoughnessFactor: m.clearcoat.roughness,
      },
    };
  }
  return out;
}

function nodeJson(n: GlbNode, nodeCount: number, meshCount: number): Json {
  const out: Json = { name: n.name };
  if (n.mesh !== undefined) {
    if (n.mesh < 0 || n.mesh >= meshCount) {
      throw new RangeError(`node ${n.name}: bad mesh ${n.mesh}`);
    }
    out.mesh = n.mesh;
  }
  if (n.translation) out.translation = [...n.translation];
  if (n.children && n.children.length > 0) {
    for (const c of n.children) {
      if (c < 0 || c >= nodeCount) {
        throw new RangeError(`node ${n.name}: bad child ${c}`);
      }
    }
    out.children = [...n.children];
  }
  return out;
}

/** Throws unless every node has at most one parent and roots are parentless. */
function checkHierarchy(doc: GlbScene): void {
  const parent = new Array<number>(doc.nodes.length).fill(-1);
  doc.nodes.forEach((n, i) => {
    for (const c of n.children ?? []) {
      if (parent[c] !== -1 || c === i) {
        throw new RangeError(`node ${c} has more than one parent`);
      }
      parent[c] = i;
    }
  });
  for (const r of doc.roots) {
    if (r < 0 || r >= doc.nodes.length || parent[r] !== -1) {
      throw new RangeError(`bad scene root ${r}`);
    }
  }
}

function jsonChunkBytes(json: Json): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(align4(text.length)).fill(0x20);
  out.set(text);
  return out;
}

/**
 * Serialises a scene as a GLB 2.0 file.
 *
 * Indices are stored as uint16 when a primitive has fewer than 65536
 * vertices and as uint32 otherwise. Throws RangeError on inconsistent input
 * (index out of range, wrong array lengths, non-finite values, bad refs).
 */
export function writeGlb(doc: GlbScene): Uint8Array {
  checkHierarchy(doc);
  const bin = new BinBuilder();
  const accessors: Json[] = [];
  const addAccessor = (a: Json): number => accessors.push(a) - 1;

  const meshes = doc.meshes.map((mesh, mi) => {
    const primitives = mesh.primitives.map((p, pi) => {
      const where = `mesh ${mi} (${mesh.name}) primitive ${pi}`;
      const count = checkPrimitive(p, where, doc.materials.length);
      const bounds = vec3Bounds(p.positions);
      const attributes: Json = {
        POSITION: addAccessor({
          bufferView: bin.add(floatBytes(p.positions, where), ARRAY_BUFFER),
          componentType: FLOAT,
          count,
          type: 'VEC3',
          min: bounds.min,
          max: bounds.max,
        }),
        NORMAL: addAccessor({
          bufferView: bin.add(floatBytes(p.normals, where), ARRAY_BUFFER),
          componentType: FLOAT,
          count,
          type: 'VEC3',
        }),
      };
      if (p.texcoords) {
        attributes.TEXCOORD_0 = addAccessor({
          bufferView: bin.add(floatBytes(p.texcoords, where), ARRAY_BUFFER),
          componentType: FLOAT,
          count,
          type: 'VEC2',
        });
      }
      const wide = count >= 65536;
      const indices = addAccessor({
        bufferView: bin.add(
          indexBytes(p.indices, wide),
          ELEMENT_ARRAY_BUFFER,
        ),
        componentType: wide ? UNSIGNED_INT : UNSIGNED_SHORT,
        count: p.indices.length,
        type: 'SCALAR',
      });
      return { attributes, indices, material: p.material, mode: TRIANGLES };
    });
    return { name: mesh.name, primitives };
  });

  const usesClearcoat = doc.materials.some((m) => m.clearcoat);
  const json: Json = {
    asset: { version: '2.0', generator: GLB_GENERATOR },
  };
  if (usesClearcoat) json.extensionsUsed = [CLEARCOAT_EXT];
  json.scene = 0;
  json.scenes = [{ nodes: [...doc.roots] }];
  json.nodes = doc.nodes.map((n) =>
    nodeJson(n, doc.nodes.length, doc.meshes.length),
  );
  if (meshes.length > 0) json.meshes = meshes;
  if (doc.materials.length > 0) {
    json.materials = doc.materials.map(materialJson);
  }
  if (accessors.length > 0) {
    json.accessors = accessors;
    json.bufferViews = bin.views;
    json.buffers = [{ byteLength: bin.byteLength }];
  }

  const jsonBytes = jsonChunkBytes(json);
  const binBytes = bin.concat();
  const hasBin = binBytes.length > 0;
  const total =
    12 + 8 + jsonBytes.length + (hasBin ? 8 + binBytes.length : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, GLB_VERSION, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  if (hasBin) {
    const at = 20 + jsonBytes.length;
    view.setUint32(at, binBytes.length, true);
    view.setUint32(at + 4, CHUNK_BIN, true);
    out.set(binBytes, at + 8);
  }
  return out;
}
