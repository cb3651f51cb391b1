import { describe, expect, it } from 'vitest';
import { writeGlb } from '../../src/car/glb-writer';
import type { GlbPrimitive, GlbScene } from '../../src/car/glb-types';
import {
  CHUNK_BIN,
  CHUNK_JSON,
  MAGIC,
  accessorRange,
  parseGlb,
  readAccessor,
} from './glb-reader';

/** A right triangle in the z = 0.5 plane facing +z, plus a second node. */
function tinyScene(overrides: Partial<GlbPrimitive> = {}): GlbScene {
  const tri: GlbPrimitive = {
    positions: new Float32Array([0, 0, 0.5, 1, 0, 0.5, 0, 2, 0.5]),
    normals: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1]),
    indices: new Uint32Array([0, 1, 2]),
    material: 0,
    ...overrides,
  };
  return {
    materials: [
      {
        name: 'paint',
        baseColorFactor: [0.8, 0.7, 0.6, 1],
        metallicFactor: 0.3,
        roughnessFactor: 0.35,
        emissiveFactor: [0.1, 0, 0],
        doubleSided: true,
        clearcoat: { factor: 1, roughness: 0.05 },
      },
    ],
    meshes: [{ name: 'tri', primitives: [tri] }],
    nodes: [
      { name: 'child', mesh: 0, translation: [1, 2, 3] },
      { name: 'root', children: [0] },
    ],
    roots: [1],
  };
}

describe('writeGlb', () => {
  it('writes a spec-conformant header and padded chunks', () => {
    const bytes = writeGlb(tinyScene());
    const glb = parseGlb(bytes);
    expect(glb.magic).toBe(MAGIC);
    expect(glb.version).toBe(2);
    expect(glb.length).toBe(bytes.length);
    expect(bytes.length % 4).toBe(0);
    expect(glb.chunks.map((c) => c.type)).toEqual([CHUNK_JSON, CHUNK_BIN]);
    for (const c of glb.chunks) {
      expect(c.offset % 4).toBe(0);
      expect(c.length % 4).toBe(0);
    }
    // JSON padding is spaces; BIN padding is zeros.
    const json = glb.chunks[0];
    const text = new TextDecoder().decode(
      bytes.subarray(json.offset, json.offset + json.length),
    );
    expect(text.trimEnd().endsWith('}')).toBe(true);
    expect(/^[ ]*$/.test(text.slice(text.lastIndexOf('}') + 1))).toBe(true);
    // 3 uint16 indices are 6 bytes, padded with 2 zero bytes at the end.
    const end = accessorRange(glb, glb.json.meshes[0].primitives[0].indices);
    expect(end.end).toBe(glb.bin.length - 2);
    expect([...glb.bin.subarray(end.end)]).toEqual([0, 0]);
    expect(glb.json.buffers).toEqual([{ byteLength: glb.bin.length }]);
  });

  it('records asset, scene graph and materials', () => {
    const { json } = parseGlb(writeGlb(tinyScene()));
    expect(json.asset).toEqual({
      version: '2.0',
      generator: 'dentfarm procedural car',
    });
    expect(json.scene).toBe(0);
    expect(json.scenes[0].nodes).toEqual([1]);
    expect(json.nodes[1]).toEqual({ name: 'root', children: [0] });
    expect(json.nodes[0]).toEqual({
      name: 'child', mesh: 0, translation: [1, 2, 3],
    });
    expect(json.extensionsUsed).toEqual(['KHR_materials_clearcoat']);
    expect(json.extensionsRequired).toBeUndefined();
    const m = json.materials[0];
    expect(m.name).toBe('paint');
    // Compared as float64 numbers: JSON keeps them exactly.
    expect(m.pbrMetallicRoughness).toEqual({
      baseColorFactor: [0.8, 0.7, 0.6, 1],
      metallicFactor: 0.3,
      roughnessFactor: 0.35,
    });
    expect(m.emissiveFactor).toEqual([0.1, 0, 0]);
    expect(m.doubleSided).toBe(true);
    expect(m.extensions.KHR_materials_clearcoat).toEqual({
      clearcoatFactor: 1,
      clearcoatRoughnessFactor: 0.05,
    });
  });

  it('omits extensionsUsed when no material has a clear coat', () => {
    const scene = tinyScene();
    const plain: GlbScene = {
      ...scene,
      materials: [{ ...scene.materials[0], clearcoat: undefined }],
    };
    const { json } = parseGlb(writeGlb(plain));
    expect(json.extensionsUsed).toBeUndefined();
    expect(json.materials[0].extensions).toBeUndefined();
  });

  it('writes accessors with exact bounds and correct targets', () => {
    const glb = parseGlb(writeGlb(tinyScene()));
    const prim = glb.json.meshes[0].primitives[0];
    const pos = glb.json.accessors[prim.attributes.POSITION];
    expect(pos).toMatchObject({ componentType: 5126, type: 'VEC3', count: 3 });
    expect(pos.min).toEqual([0, 0, 0.5]);
    expect(pos.max).toEqual([1, 2, 0.5]);
    expect(readAccessor(glb, prim.attributes.POSITION)).toEqual([
      0, 0, 0.5, 1, 0, 0.5, 0, 2, 0.5,
    ]);
    expect(readAccessor(glb, prim.attributes.NORMAL)).toEqual([
      0, 0, 1, 0, 0, 1, 0, 0, 1,
    ]);
    const idx = glb.json.accessors[prim.indices];
    expect(idx).toMatchObject({
      componentType: 5123, type: 'SCALAR', count: 3,
    });
    expect(readAccessor(glb, prim.indices)).toEqual([0, 1, 2]);
    expect(prim.attributes.TEXCOORD_0).toBeUndefined();
    const views = glb.json.bufferViews;
    expect(views[pos.bufferView].target).toBe(34962);
    expect(views[idx.bufferView].target).toBe(34963);
    for (const v of views) expect(v.byteOffset % 4).toBe(0);
  });

  it('stores float32-rounded bounds that equal the stored data', () => {
    const glb = parseGlb(
      writeGlb(
        tinyScene({
          positions: new Float32Array([0.1, 0.2, 0.3, -0.7, 1.1, 2.9, 3, 3, 3]),
        }),
      ),
    );
    const a = glb.json.accessors[0];
    expect(a.min).toEqual([-0.7, 0.2, 0.3].map(Math.fround));
    expect(a.max).toEqual([3, 3, 3]);
  });

  it('writes TEXCOORD_0 when given', () => {
    const glb = parseGlb(
      writeGlb(tinyScene({ texcoords: new Float32Array([0, 0, 1, 0, 0, 1]) })),
    );
    const prim = glb.json.meshes[0].primitives[0];
    const uv = glb.json.accessors[prim.attributes.TEXCOORD_0];
    expect(uv).toMatchObject({ componentType: 5126, type: 'VEC2', count: 3 });
    expect(readAccessor(glb, prim.attributes.TEXCOORD_0)).toEqual([
      0, 0, 1, 0, 0, 1,
    ]);
  });

  it('switches to uint32 indices at 65536 vertices', () => {
    const n = 65536;
    const positions = new Float32Array(n * 3);
    const normals = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      positions[i * 3] = i;
      normals[i * 3 + 2] = 1;
    }
    const glb = parseGlb(
      writeGlb(
        tinyScene({
          positions,
          normals,
          indices: new Uint32Array([0, 1, n - 1]),
        }),
      ),
    );
    const prim = glb.json.meshes[0].primitives[0];
    expect(glb.json.accessors[prim.indices].componentType).toBe(5125);
    expect(readAccessor(glb, prim.indices)).toEqual([0, 1, n - 1]);
    expect(glb.json.accessors[prim.attributes.POSITION].max[0]).toBe(n - 1);
  });

  it('is deterministic', () => {
    expect(writeGlb(tinyScene())).toEqual(writeGlb(tinyScene()));
  });

  it('rejects inconsistent input', () => {
    expect(() => writeGlb(tinyScene({ indices: new Uint32Array([0, 1, 3]) })))
      .toThrow(RangeError);
    expect(() => writeGlb(tinyScene({ indices: new Uint32Array([0, 1]) })))
      .toThrow(RangeError);
    expect(() => writeGlb(tinyScene({ normals: new Float32Array(6) })))
      .toThrow(RangeError);
    expect(() => writeGlb(tinyScene({ material: 1 }))).toThrow(RangeError);
    expect(() =>
      writeGlb(tinyScene({
        positions: new Float32Array([NaN, 0, 0, 1, 0, 0, 0, 1, 0]),
      })),
    ).toThrow(RangeError);
    const scene = tinyScene();
    expect(() => writeGlb({ ...scene, roots: [0] })).toThrow(RangeError);
  });
});
