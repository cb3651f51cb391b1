/**
 * The project's own default car, built in code as a glTF scene so the
 * renderer can load it exactly like a third-party model (via `writeGlb`).
 *
 * Frame (glTF): metres, right-handed, +y up, the car's front towards +z,
 * so +x is the car's LEFT (a driver inside faces +z). Tyres touch y = 0,
 * the car is centred on x = 0 and the wheelbase centre is at z = 0.
 *
 * Every panel is its own node with a fixed name (`hood`, `door_front_left`,
 * `license_plate_rear`, ...) and every material has a fixed name (`paint`,
 * `glass`, ...): the renderer repaints, damages and removes parts by name.
 */
import {
  buildMirror,
  buildPlate,
  plateRect,
  type AccessoryMaterials,
} from './accessories';
import { buildBodyGrid, faceExtremeZ } from './body-loft';
import { nameQuads, splitBody } from './body-parts';
import { CarLayout } from './car-layout';
import {
  CAR_MATERIALS,
  bodyPartMaterial,
  materialIndex,
} from './car-materials';
import type { ProceduralCarParams } from './car-params';
import { buildDoorHandle } from './door-handles';
import type {
  GlbMesh,
  GlbNode,
  GlbPrimitive,
  GlbScene,
  Vec3,
} from './glb-types';
import { buildShutLines } from './shut-lines';
import { buildWheel } from './wheels';

export {
  DEFAULT_HATCHBACK,
  DEFAULT_SEDAN,
  DEFAULT_SUV,
  defaultParams,
  type BodyStyle,
  type ProceduralCarParams,
} from './car-params';

const SIDES = ['left', 'right'] as const;

/** Preferred node order; names not listed follow in first-seen order. */
const PART_ORDER: readonly string[] = [
  'hood', 'roof', 'trunk', 'tailgate', 'front_bumper', 'rear_bumper',
  'fender_front', 'fender_rear', 'door_front', 'door_rear',
  'pillar_a', 'pillar_b', 'pillar_c', 'windshield', 'rear_window',
  'window_front', 'window_rear', 'window_quarter', 'headlamp', 'taillamp',
  'grille', 'underbody',
];

function partRank(name: string): number {
  const base = name.replace(/_(left|right)$/, '');
  const r = PART_ORDER.indexOf(base);
  const side = name.endsWith('_right') ? 0.5 : 0;
  return (r < 0 ? PART_ORDER.length : r) + side;
}

/** Accumulates nodes and their meshes. */
class SceneBuilder {
  readonly nodes: GlbNode[] = [];
  readonly meshes: GlbMesh[] = [];
  readonly roots: number[] = [];

  /** Adds a node with its own mesh; returns the node index. */
  add(
    name: string,
    primitives: GlbPrimitive[],
    root: boolean,
    translation?: Vec3,
    children?: number[],
  ): number {
    this.meshes.push({ name, primitives });
    this.nodes.push({
      name,
      mesh: this.meshes.length - 1,
      translation,
      children,
    });
    const index = this.nodes.length - 1;
    if (root) this.roots.push(index);
    return index;
  }
}

/**
 * Builds the procedural car for `params` (e.g. `DEFAULT_SEDAN`).
 *
 * Deterministic: the same params always give the same scene, and so the
 * same GLB bytes. Throws RangeError for inconsistent params.
 */
export function buildProceduralCar(params: ProceduralCarParams): GlbScene {
  const L = new CarLayout(params);
  const sb = new SceneBuilder();

  const grid = buildBodyGrid(L);
  const parts = splitBody(L, grid);
  const ordered = parts
    .map((part, seen) => ({ part, seen }))
    .sort((a, b) => partRank(a.part.name) - partRank(b.part.name) ||
      a.seen - b.seen);
  const gap = materialIndex('panel_gap');
  const shutLines = buildShutLines(grid, nameQuads(L, grid));
  const handles = new Map<string, GlbPrimitive[]>();
  for (const side of SIDES) {
    for (const [door, rearEdgeZ] of [
      ['front', L.doorSplitZ],
      ['rear', L.doorRearZ],
    ] as const) {
      handles.set(`door_${door}_${side}`, buildDoorHandle(L, rearEdgeZ, side, {
        paint: materialIndex('paint'),
        recess: gap,
      }));
    }
  }
  for (const { part } of ordered) {
    const material = materialIndex(bodyPartMaterial(part.name));
    const prims = [part.mesh.toPrimitive(material, true)];
    const lines = shutLines.get(part.name);
    if (lines && lines.gaps.triangleCount > 0) {
      prims.push(lines.gaps.toPrimitive(gap));
    }
    if (lines && lines.seals.triangleCount > 0) {
      prims.push(lines.seals.toPrimitive(materialIndex('trim_black')));
    }
    if (lines && lines.slats.triangleCount > 0) {
      prims.push(lines.slats.toPrimitive(materialIndex('trim_chrome')));
    }
    prims.push(...(handles.get(part.name) ?? []));
    sb.add(part.name, prims, true);
  }

  const wheelMaterials = {
    tyre: materialIndex('tyre'),
    rim: materialIndex('rim'),
    dark: materialIndex('trim_black'),
  };
  const size = {
    radius: params.wheelRadius,
    width: params.tyreWidth,
    rimRadius: params.rimRadius,
    segments: params.wheelSegments,
  };
  for (const [axle, z] of [
    ['front', L.frontAxleZ],
    ['rear', L.rearAxleZ],
  ] as const) {
    for (const side of SIDES) {
      const wheel = buildWheel(size, wheelMaterials, side);
      const x = ((side === 'left' ? 1 : -1) * params.track) / 2;
      // The tyre node sits at the hub; its rim follows as a child.
      sb.add(`wheel_${axle}_${side}`, wheel.tyre, true,
        [x, params.wheelRadius, z], [sb.nodes.length + 1]);
      sb.add(`rim_${axle}_${side}`, wheel.rim, false);
    }
  }

  const acc: AccessoryMaterials = {
    paint: materialIndex('paint'),
    glass: materialIndex('glass'),
    plate: materialIndex('plate'),
    plateBand: materialIndex('plate_band'),
  };
  for (const side of SIDES) {
    sb.add(`mirror_${side}`, buildMirror(L, acc, side), true);
  }
  for (const end of ['front', 'rear'] as const) {
    const faceZ = faceExtremeZ(grid, end, plateRect(L, end));
    sb.add(`license_plate_${end}`, buildPlate(L, acc, end, faceZ), true);
  }

  return {
    materials: CAR_MATERIALS,
    meshes: sb.meshes,
    nodes: sb.nodes,
    roots: sb.roots,
  };
}

/** Names of all nodes in the scene (parts, wheels, rims, plates...). */
export function carPartNames(scene: GlbScene): string[] {
  return scene.nodes.map((n) => n.name);
}
