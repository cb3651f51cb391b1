import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HATCHBACK,
  DEFAULT_SEDAN,
  DEFAULT_SUV,
  buildProceduralCar,
  carPartNames,
  type ProceduralCarParams,
} from '../../src/car/procedural-car';
import { readFileSync } from 'node:fs';
import { writeGlb } from '../../src/car/glb-writer';
import {
  CHUNK_BIN,
  CHUNK_JSON,
  MAGIC,
  accessorRange,
  parseGlb,
  readAccessor,
  worldPrimitives,
  type ParsedGlb,
  type WorldPrimitive,
} from './glb-reader';

const MM = 0.001;

const COMMON_PARTS = [
  'hood', 'roof', 'front_bumper', 'rear_bumper',
  'fender_front_left', 'fender_front_right',
  'fender_rear_left', 'fender_rear_right',
  'door_front_left', 'door_front_right', 'door_rear_left', 'door_rear_right',
  'windshield', 'rear_window',
  'window_front_left', 'window_front_right',
  'window_rear_left', 'window_rear_right',
  'headlamp_left', 'headlamp_right', 'taillamp_left', 'taillamp_right',
  'grille', 'underbody',
  'wheel_front_left', 'wheel_front_right', 'wheel_rear_left',
  'wheel_rear_right',
  'rim_front_left', 'rim_front_right', 'rim_rear_left', 'rim_rear_right',
  'mirror_left', 'mirror_right',
  'license_plate_front', 'license_plate_rear',
];

const DOORS = [
  'door_front_left', 'door_front_right', 'door_rear_left', 'door_rear_right',
];

const PRESETS: [string, ProceduralCarParams, string][] = [
  ['sedan', DEFAULT_SEDAN, 'trunk'],
  ['hatchback', DEFAULT_HATCHBACK, 'tailgate'],
  ['suv', DEFAULT_SUV, 'tailgate'],
];

interface Box {
  min: [number, number, number];
  max: [number, number, number];
}

function bounds(prims: readonly WorldPrimitive[]): Box {
  const b: Box = {
    min: [Infinity, Infinity, Infinity],
    max: [-Infinity, -Infinity, -Infinity],
  };
  for (const p of prims) {
    for (let i = 0; i < p.positions.length; i++) {
      const c = i % 3;
      b.min[c] = Math.min(b.min[c], p.positions[i]);
      b.max[c] = Math.max(b.max[c], p.positions[i]);
    }
  }
  return b;
}

const sub = (a: number[], b: number[]): number[] => a.map((v, i) => v - b[i]);
const dot = (a: number[], b: number[]): number =>
  a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: number[], b: number[]): number[] => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const vertex = (arr: number[], i: number): number[] =>
  arr.slice(i * 3, i * 3 + 3);

function centroid(prims: readonly WorldPrimitive[]): number[] {
  const c = [0, 0, 0];
  let n = 0;
  for (const p of prims) {
    for (let i = 0; i < p.positions.length; i += 3) {
      c[0] += p.positions[i];
      c[1] += p.positions[i + 1];
      c[2] += p.positions[i + 2];
      n++;
    }
  }
  return c.map((v) => v / n);
}

function byNode(
  prims: readonly WorldPrimitive[],
): Map<string, WorldPrimitive[]> {
  const m = new Map<string, WorldPrimitive[]>();
  for (const p of prims) m.set(p.node, [...(m.get(p.node) ?? []), p]);
  return m;
}

describe.each(PRESETS)('procedural %s', (style, params, lid) => {
  const scene = buildProceduralCar(params);
  const bytes = writeGlb(scene);
  const glb: ParsedGlb = parseGlb(bytes);
  const prims = worldPrimitives(glb);
  const nodes = byNode(prims);

  it('is a well-formed GLB', () => {
    expect(glb.magic).toBe(MAGIC);
    expect(glb.version).toBe(2);
    expect(glb.length).toBe(bytes.length);
    expect(glb.chunks.map((c) => c.type)).toEqual([CHUNK_JSON, CHUNK_BIN]);
    for (const c of glb.chunks) {
      expect(c.offset % 4).toBe(0);
      expect(c.length % 4).toBe(0);
    }
    expect(glb.json.buffers[0].byteLength).toBeLessThanOrEqual(glb.bin.length);
  });

  it('keeps every accessor inside its bufferView and the buffer', () => {
    const { accessors, bufferViews, buffers } = glb.json;
    for (const view of bufferViews) {
      expect(view.byteOffset % 4).toBe(0);
      expect(view.byteOffset + view.byteLength).toBeLessThanOrEqual(
        buffers[0].byteLength,
      );
    }
    accessors.forEach((a: { bufferView: number }, i: number) => {
      const view = bufferViews[a.bufferView];
      const r = accessorRange(glb, i);
      expect(r.start).toBeGreaterThanOrEqual(view.byteOffset);
      expect(r.end).toBeLessThanOrEqual(view.byteOffset + view.byteLength);
    });
  });

  it('has POSITION min/max equal to the data and indices in range', () => {
    for (const mesh of glb.json.meshes) {
      for (const p of mesh.primitives) {
        const acc = glb.json.accessors[p.attributes.POSITION];
        const pos = readAccessor(glb, p.attributes.POSITION);
        const min = [Infinity, Infinity, Infinity];
        const max = [-Infinity, -Infinity, -Infinity];
        pos.forEach((v, i) => {
          min[i % 3] = Math.min(min[i % 3], v);
          max[i % 3] = Math.max(max[i % 3], v);
        });
        expect(acc.min).toEqual(min);
        expect(acc.max).toEqual(max);
        const idx = readAccessor(glb, p.indices);
        expect(idx.length % 3).toBe(0);
        expect(Math.max(...idx)).toBeLessThan(acc.count);
        const wide = glb.json.accessors[p.indices].componentType === 5125;
        expect(wide).toBe(acc.count >= 65536);
      }
    }
  });

  it('names all required parts once each', () => {
    const names = carPartNames(scene);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [...COMMON_PARTS, lid]) expect(names).toContain(n);
    const other = lid === 'trunk' ? 'tailgate' : 'trunk';
    expect(names).not.toContain(other);
    expect(glb.json.nodes.map((n: { name: string }) => n.name)).toEqual(names);
  });

  it('has a triangle count in the target range', () => {
    const tris = prims.reduce((n, p) => n + p.indices.length / 3, 0);
    expect(tris).toBeGreaterThanOrEqual(10_000);
    expect(tris).toBeLessThanOrEqual(60_000);
  });

  it('matches the parameter dimensions', () => {
    // Overall dimensions exclude mirrors, plates and door handles, as on a
    // spec sheet, and the lines laid a millimetre above the panels: only a
    // body panel's own surface (its first primitive) counts.
    const panels = new Set(
      [...nodes].filter(([n]) => !/^(wheel_|rim_)/.test(n)).map(([, ps]) => ps[0]),
    );
    const body = prims.filter(
      (p) => !p.node.startsWith('mirror_') && !p.node.startsWith('license_') &&
        (panels.has(p) || /^(wheel_|rim_)/.test(p.node)),
    );
    const b = bounds(body);
    const zFront = params.wheelbase / 2 + params.frontOverhang;
    expect(b.max[2]).toBeCloseTo(zFront, 3);
    expect(b.min[2]).toBeCloseTo(zFront - params.length, 3);
    expect(b.max[0] - b.min[0]).toBeCloseTo(params.width, 3);
    expect(b.max[0] + b.min[0]).toBeCloseTo(0, 3);
    expect(Math.abs(b.min[1])).toBeLessThan(MM);
    expect(b.max[1]).toBeCloseTo(params.height, 3);
  });

  it('stands every tyre on the ground at its axle', () => {
    for (const axle of ['front', 'rear']) {
      for (const side of ['left', 'right']) {
        const tyre = nodes.get(`wheel_${axle}_${side}`)!;
        const b = bounds(tyre);
        expect(Math.abs(b.min[1])).toBeLessThan(MM);
        expect(b.max[1]).toBeCloseTo(2 * params.wheelRadius, 3);
        const zAxle = (axle === 'front' ? 1 : -1) * params.wheelbase / 2;
        expect((b.min[2] + b.max[2]) / 2).toBeCloseTo(zAxle, 3);
        const xc = (b.min[0] + b.max[0]) / 2;
        expect(Math.abs(xc)).toBeCloseTo(params.track / 2, 2);
        expect(b.max[0] - b.min[0]).toBeCloseTo(params.tyreWidth, 3);
      }
    }
  });

  it("puts the car's left at +x and its right at -x", () => {
    // A driver facing +z with +y up has their left along up x forward.
    const left = cross([0, 1, 0], [0, 0, 1]);
    expect(left).toEqual([1, 0, 0]);
    for (const [name, ps] of nodes) {
      const side =
        name.endsWith('_left') ? 1 : name.endsWith('_right') ? -1 : 0;
      for (const p of ps) {
        for (let i = 0; i < p.positions.length; i += 3) {
          const along = dot(vertex(p.positions, i / 3), left);
          if (side === 1) expect(along).toBeGreaterThan(-MM);
          if (side === -1) expect(along).toBeLessThan(MM);
        }
      }
      if (side !== 0) {
        expect(Math.sign(dot(centroid(ps), left))).toBe(side);
      }
    }
  });

  it('puts front parts at +z and rear parts at -z', () => {
    const front = ['hood', 'front_bumper', 'grille', 'headlamp_left',
      'license_plate_front', 'windshield', 'wheel_front_left'];
    const rear = [lid, 'rear_bumper', 'taillamp_right', 'license_plate_rear',
      'rear_window', 'wheel_rear_right'];
    const zOf = (n: string): number => centroid(nodes.get(n)!)[2];
    for (const n of front) expect(zOf(n)).toBeGreaterThan(0);
    for (const n of rear) expect(zOf(n)).toBeLessThan(0);
    expect(centroid(nodes.get('roof')!)[1]).toBeGreaterThan(params.beltHeight);
    expect(centroid(nodes.get('underbody')!)[1]).toBeLessThan(
      params.beltHeight,
    );
  });

  it('keeps plates and mirrors close to the body', () => {
    const body = bounds(
      prims.filter((p) => !/^(mirror_|license_)/.test(p.node)),
    );
    const front = bounds(nodes.get('license_plate_front')!);
    const rear = bounds(nodes.get('license_plate_rear')!);
    for (const plate of [front, rear]) {
      expect(plate.max[0] - plate.min[0]).toBeCloseTo(0.52, 6);
      expect(plate.max[1] - plate.min[1]).toBeCloseTo(0.11, 6);
      expect(plate.max[2] - plate.min[2]).toBe(0);
    }
    expect(front.min[2]).toBeLessThan(body.max[2] + 0.01);
    expect(front.min[2]).toBeGreaterThan(body.max[2] - 0.05);
    expect(rear.max[2]).toBeGreaterThan(body.min[2] - 0.01);
    expect(rear.max[2]).toBeLessThan(body.min[2] + 0.05);
    const ml = bounds(nodes.get('mirror_left')!);
    const mr = bounds(nodes.get('mirror_right')!);
    expect(ml.max[0]).toBeGreaterThan(params.width / 2);
    expect(ml.max[0]).toBeLessThan(params.width / 2 + 0.15);
    expect(mr.min[0]).toBeCloseTo(-ml.max[0], 6);
  });

  it('has unit normals that agree with the triangle winding', () => {
    let agree = 0;
    let total = 0;
    for (const p of prims) {
      for (let i = 0; i < p.normals.length; i += 3) {
        const len = Math.hypot(...vertex(p.normals, i / 3));
        expect(Math.abs(len - 1)).toBeLessThan(1e-5);
      }
      for (let t = 0; t < p.indices.length; t += 3) {
        const [a, b, c] = [0, 1, 2].map((k) => p.indices[t + k]);
        const pa = vertex(p.positions, a);
        // Counter-clockwise seen from outside: (b - a) x (c - a) points out.
        const face = cross(
          sub(vertex(p.positions, b), pa),
          sub(vertex(p.positions, c), pa),
        );
        const area = Math.hypot(face[0], face[1], face[2]);
        const n = [0, 1, 2].map((k) =>
          p.normals[a * 3 + k] + p.normals[b * 3 + k] + p.normals[c * 3 + k]);
        total += area;
        if (dot(face, n) > 0) agree += area;
      }
    }
    expect(agree / total).toBeGreaterThan(0.999);
  });

  it('points normals outwards on average, part by part', () => {
    // Body panels: away from the middle of the body. Closed add-ons
    // (wheels, rims, mirrors): away from their own centre.
    const bodyCentre = [0, (params.groundClearance + params.height) / 2, 0];
    for (const [name, ps] of nodes) {
      const own = /^(wheel_|rim_|mirror_)/.test(name);
      const c = name.startsWith('rim_') || name.startsWith('wheel_')
        ? [...ps[0].origin]
        : own ? centroid(ps) : bodyCentre;
      let sum = 0;
      let n = 0;
      for (const p of ps) {
        for (let i = 0; i < p.positions.length / 3; i++) {
          sum += dot(vertex(p.normals, i), sub(vertex(p.positions, i), c));
          n++;
        }
      }
      expect(sum / n, name).toBeGreaterThan(0);
    }
  });

  it('assigns the materials the renderer looks for', () => {
    const mats = glb.json.materials.map((m: { name: string }) => m.name);
    for (const m of ['paint', 'glass', 'trim_black', 'headlamp', 'taillamp',
      'tyre', 'rim', 'plate', 'underbody']) {
      expect(mats).toContain(m);
    }
    const paint = glb.json.materials[mats.indexOf('paint')];
    expect(paint.pbrMetallicRoughness.metallicFactor).toBe(0.3);
    expect(paint.pbrMetallicRoughness.roughnessFactor).toBe(0.35);
    expect(paint.extensions.KHR_materials_clearcoat.clearcoatFactor).toBe(1);
    expect(glb.json.extensionsUsed).toContain('KHR_materials_clearcoat');
    const glass = glb.json.materials[mats.indexOf('glass')];
    expect(glass.pbrMetallicRoughness.roughnessFactor).toBe(0.05);
    expect(glass.pbrMetallicRoughness.metallicFactor).toBe(0);
    expect(glass.alphaMode ?? 'OPAQUE').toBe('OPAQUE');
    const materialOf = (n: string): string[] =>
      nodes.get(n)!.map((p) => p.material);
    // Panel, shut lines, and the seal where it meets the glass.
    expect(materialOf('hood')).toEqual(['paint', 'panel_gap', 'trim_black']);
    expect(materialOf(lid)).toEqual(['paint', 'panel_gap', 'trim_black']);
    // Panel, shut lines, window seal, handle, handle recess.
    expect(materialOf('door_front_left')).toEqual(
      ['paint', 'panel_gap', 'trim_black', 'paint', 'panel_gap']);
    expect(materialOf('roof')).toEqual(['paint', 'trim_black']);
    expect(materialOf('windshield')).toEqual(['glass']);
    expect(materialOf('window_rear_right')).toEqual(['glass']);
    // The opening, and slats along the rings of the nose inside it.
    expect(materialOf('grille')).toEqual(['trim_black', 'trim_chrome']);
    const [opening, slats] = nodes.get('grille')!;
    const o = bounds([opening]);
    const sl = bounds([slats]);
    for (const c of [0, 1]) {
      expect(sl.min[c]).toBeGreaterThan(o.min[c] - 0.01);
      expect(sl.max[c]).toBeLessThan(o.max[c] + 0.01);
    }
    expect(materialOf('headlamp_left')).toEqual(['headlamp']);
    expect(materialOf('taillamp_right')).toEqual(['taillamp']);
    expect(materialOf('underbody')).toEqual(['underbody']);
    expect(materialOf('wheel_front_left')).toEqual(['tyre']);
    expect(materialOf('rim_front_left')).toContain('rim');
    expect(materialOf('license_plate_front')).toContain('plate');
  });

  it('frames every door with shut lines on its front, rear and lower edges', () => {
    for (const door of DOORS) {
      const [panel, line] = nodes.get(door)!;
      expect(line.material).toBe('panel_gap');
      const p = bounds([panel]);
      const g = bounds([line]);
      // A strip is 6 mm wide and centred on the edge, so it reaches 3 mm
      // past the panel (plus its lift and the curve of the side).
      expect(Math.abs(g.min[2] - p.min[2])).toBeLessThan(0.006);
      expect(Math.abs(g.min[1] - p.min[1])).toBeLessThan(0.006);
      // The line between the two doors is drawn once, with the front door.
      if (door.startsWith('door_front')) {
        expect(Math.abs(g.max[2] - p.max[2])).toBeLessThan(0.006);
      } else {
        expect(g.max[2]).toBeLessThan(p.max[2] - 0.1);
      }
      // The top edge meets the side glass: a wider black seal, not a gap.
      expect(g.max[1]).toBeLessThan(p.max[1] + 0.006);
      const seal = bounds([nodes.get(door)![2]]);
      expect(nodes.get(door)![2].material).toBe('trim_black');
      expect(Math.abs(seal.max[1] - p.max[1])).toBeLessThan(0.014);
      expect(seal.min[1]).toBeGreaterThan((p.min[1] + p.max[1]) / 2);
    }
    // Roof and rear wings are one welded shell: no line between them.
    const roofLines = nodes.get('roof')!.filter((x) => x.material === 'panel_gap');
    expect(roofLines).toEqual([]);
  });

  it('puts a handle on the upper half of each door, standing out of it by less than a centimetre', () => {
    for (const door of DOORS) {
      const [panel, , , handle, recess] = nodes.get(door)!;
      const p = bounds([panel]);
      const h = bounds([handle]);
      const side = door.endsWith('_left') ? 1 : -1;
      expect(h.min[2]).toBeGreaterThan(p.min[2]);
      expect(h.max[2]).toBeLessThan(p.max[2]);
      expect(h.min[1]).toBeGreaterThan((p.min[1] + p.max[1]) / 2);
      expect(h.max[1]).toBeLessThan(p.max[1]);
      // 12 to 20 cm long, as pull handles are.
      expect(h.max[2] - h.min[2]).toBeGreaterThan(0.12);
      expect(h.max[2] - h.min[2]).toBeLessThan(0.2);
      const outer = side > 0 ? h.max[0] : -h.min[0];
      expect(outer).toBeLessThan(params.width / 2 + 0.01);
      // Proud of the door where it sits: the door's own outermost x at
      // the handle's height and length is less than the handle's.
      let doorX = -Infinity;
      for (let i = 0; i < panel.positions.length; i += 3) {
        const [x, y, z] = panel.positions.slice(i, i + 3);
        if (y >= h.min[1] && y <= h.max[1] && z >= h.min[2] && z <= h.max[2]) {
          doorX = Math.max(doorX, side * x);
        }
      }
      expect(outer).toBeGreaterThan(doorX + 0.003);
      expect(recess.material).toBe('panel_gap');
    }
  });

  it("maps every panel's meshes, one per primitive as a glTF loader makes them, to that panel through the catalogue's part rules", () => {
    const entry = JSON.parse(readFileSync(`car-models/dentfarm-${style}.json`, 'utf8')) as {
      parts: { part: string; match: string }[];
    };
    // The first rule matching the mesh's name, then its node's (nearest first).
    const partOf = (names: string[]): string | null => {
      for (const rule of entry.parts) {
        const re = new RegExp(rule.match, 'i');
        for (const n of names) {
          const m = re.exec(n);
          if (m) return rule.part.replace('$1', m[1] ?? m[0]);
        }
      }
      return null;
    };
    for (const [name, ps] of nodes) {
      if (/^(rim_|license_)/.test(name)) continue;
      // A node of one primitive loads as one mesh of its own name; of
      // several, as a node with one child mesh per primitive.
      const meshNames = ps.length === 1
        ? [[name]]
        : ps.map((_, i) => [`${name}_primitive${i}`, name]);
      for (const names of meshNames) expect(partOf(names), names[0]).toBe(name);
    }
  });

  it("lets dents and scratches onto every painted primitive, and its panel's shut lines and seals, but onto no glass, lamp or wheel", () => {
    const entry = JSON.parse(readFileSync(`car-models/dentfarm-${style}.json`, 'utf8')) as {
      damageMeshes: string[];
    };
    const res = entry.damageMeshes.map((m) => new RegExp(m, 'i'));
    for (const [name, ps] of nodes) {
      ps.forEach((p, i) => {
        // Mesh names as a glTF loader gives them, nearest first.
        const names = ps.length === 1 ? [name] : [`${name}_primitive${i}`, name];
        const damageable = res.some((re) => names.some((n) => re.test(n)));
        const label = `${names[0]} (${p.material})`;
        if (p.material === 'paint') expect(damageable, label).toBe(true);
        if (['glass', 'headlamp', 'taillamp', 'tyre', 'rim', 'plate'].includes(p.material)) {
          expect(damageable, label).toBe(false);
        }
        // A dent across a shut line or a seal carries on over it.
        const onPaintedPanel = ps[0].material === 'paint' && !name.startsWith('mirror_');
        if (onPaintedPanel) expect(damageable, label).toBe(true);
      });
    }
  });

  it('gives identical bytes for identical params', () => {
    const again = writeGlb(buildProceduralCar({ ...params }));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('procedural car variants', () => {
  it('differ by body style where they should', () => {
    const size = (p: ProceduralCarParams): Box =>
      bounds(worldPrimitives(parseGlb(writeGlb(buildProceduralCar(p)))));
    const sedan = size(DEFAULT_SEDAN);
    const hatch = size(DEFAULT_HATCHBACK);
    const suv = size(DEFAULT_SUV);
    const len = (b: Box): number => b.max[2] - b.min[2];
    expect(len(hatch)).toBeLessThan(len(sedan) - 0.2);
    expect(suv.max[1]).toBeGreaterThan(sedan.max[1] + 0.2);
  });

  it('changes the bytes when a parameter changes', () => {
    const a = writeGlb(buildProceduralCar(DEFAULT_SEDAN));
    const b = writeGlb(buildProceduralCar({ ...DEFAULT_SEDAN, width: 1.82 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('rejects inconsistent parameters', () => {
    expect(() => buildProceduralCar({ ...DEFAULT_SEDAN, track: 1.75 }))
      .toThrow(RangeError);
    expect(() => buildProceduralCar({ ...DEFAULT_SEDAN, length: 3.2 }))
      .toThrow(RangeError);
    expect(() => buildProceduralCar({ ...DEFAULT_SEDAN, height: -1 }))
      .toThrow(RangeError);
  });
});
