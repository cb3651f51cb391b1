/**
 * A small GLB 2.0 reader for tests, written from the glTF 2.0 spec's
 * "GLB File Format Specification" independently of the writer under test:
 * 12-byte header (magic "glTF", version 2, total length), then chunks of
 * (length, type, data), the first JSON and the optional second BIN.
 */

export const MAGIC = 0x46546c67;
export const CHUNK_JSON = 0x4e4f534a;
export const CHUNK_BIN = 0x004e4942;

/* eslint-disable @typescript-eslint/no-explicit-any */
export type GltfJson = any;

export interface Chunk {
  readonly type: number;
  /** Byte offset of the chunk data within the file. */
  readonly offset: number;
  readonly length: number;
}

export interface ParsedGlb {
  readonly magic: number;
  readonly version: number;
  readonly length: number;
  readonly chunks: readonly Chunk[];
  readonly json: GltfJson;
  /** The BIN chunk's bytes (empty if there is none). */
  readonly bin: Uint8Array;
  readonly bytes: Uint8Array;
}

/** Splits a GLB into header, chunks and parsed JSON; throws if malformed. */
export function parseGlb(bytes: Uint8Array): ParsedGlb {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, true);
  const version = dv.getUint32(4, true);
  const length = dv.getUint32(8, true);
  const chunks: Chunk[] = [];
  let at = 12;
  while (at < length) {
    const len = dv.getUint32(at, true);
    const type = dv.getUint32(at + 4, true);
    chunks.push({ type, offset: at + 8, length: len });
    at += 8 + len;
  }
  if (at !== length) throw new Error('chunks overrun the file length');
  const jsonChunk = chunks[0];
  if (!jsonChunk || jsonChunk.type !== CHUNK_JSON) {
    throw new Error('first chunk must be JSON');
  }
  const text = new TextDecoder().decode(
    bytes.subarray(jsonChunk.offset, jsonChunk.offset + jsonChunk.length),
  );
  const json = JSON.parse(text);
  const binChunk = chunks[1];
  const bin = binChunk && binChunk.type === CHUNK_BIN
    ? bytes.subarray(binChunk.offset, binChunk.offset + binChunk.length)
    : new Uint8Array(0);
  return { magic, version, length, chunks, json, bin, bytes };
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3 };
const SIZES: Record<number, number> = { 5123: 2, 5125: 4, 5126: 4 };

/** Byte range [start, end) of an accessor inside the BIN chunk. */
export function accessorRange(
  glb: ParsedGlb,
  index: number,
): { start: number; end: number } {
  const a = glb.json.accessors[index];
  const view = glb.json.bufferViews[a.bufferView];
  const start = (view.byteOffset ?? 0) + (a.byteOffset ?? 0);
  const end = start + a.count * COMPONENTS[a.type] * SIZES[a.componentType];
  return { start, end };
}

/** An accessor's values as plain numbers (little-endian, tightly packed). */
export function readAccessor(glb: ParsedGlb, index: number): number[] {
  const a = glb.json.accessors[index];
  const { start } = accessorRange(glb, index);
  const n = a.count * COMPONENTS[a.type];
  const dv = new DataView(
    glb.bin.buffer,
    glb.bin.byteOffset + start,
    n * SIZES[a.componentType],
  );
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (a.componentType === 5126) out[i] = dv.getFloat32(i * 4, true);
    else if (a.componentType === 5125) out[i] = dv.getUint32(i * 4, true);
    else out[i] = dv.getUint16(i * 2, true);
  }
  return out;
}

/** One primitive of a node, with positions moved into the scene frame. */
export interface WorldPrimitive {
  readonly node: string;
  readonly material: string;
  /** Scene-frame positions (node translations applied), metres. */
  readonly positions: number[];
  readonly normals: number[];
  readonly indices: number[];
  /** Sum of translations from the root to this node. */
  readonly origin: [number, number, number];
}

/**
 * Every primitive in the default scene, walking the node tree and adding
 * translations (the only transform the writer emits).
 */
export function worldPrimitives(glb: ParsedGlb): WorldPrimitive[] {
  const out: WorldPrimitive[] = [];
  const j = glb.json;
  const visit = (ni: number, o: [number, number, number]): void => {
    const node = j.nodes[ni];
    if (node.rotation || node.scale || node.matrix) {
      throw new Error('only translations are expected');
    }
    const t = node.translation ?? [0, 0, 0];
    const origin: [number, number, number] = [
      o[0] + t[0], o[1] + t[1], o[2] + t[2],
    ];
    if (node.mesh !== undefined) {
      for (const p of j.meshes[node.mesh].primitives) {
        const local = readAccessor(glb, p.attributes.POSITION);
        out.push({
          node: node.name,
          material: j.materials[p.material].name,
          positions: local.map((v, i) => v + origin[i % 3]),
          normals: readAccessor(glb, p.attributes.NORMAL),
          indices: readAccessor(glb, p.indices),
          origin,
        });
      }
    }
    for (const c of node.children ?? []) visit(c, origin);
  };
  for (const r of j.scenes[j.scene ?? 0].nodes) visit(r, [0, 0, 0]);
  return out;
}
