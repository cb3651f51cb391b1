/**
 * Loads a glTF/GLB car and makes it clean and comparable: plates removed
 * first (so nothing they touch moves the car), hidden helpers removed, then
 * scaled to metres, turned so the front faces +z, centred and stood on the
 * ground. The result is kept in an asset container and reused across jobs.
 */
import {
  AssetContainer,
  LoadAssetContainerAsync,
  Mesh,
  PBRMaterial,
  TransformNode,
  Vector3,
  VertexBuffer,
  type AbstractMesh,
  type Node,
  type Scene,
} from '@babylonjs/core';
import '@babylonjs/loaders/glTF';
import { MODEL_LOAD_FAILED, type AxisName, type ModelRules, type PartRule } from '../protocol';
import { surfaceBits } from './surface-kinds';

/** Names that mean "licence plate" in any model, whatever its entry says. */
export const BUILTIN_PLATE_PATTERNS = [
  'licen[cs]e',
  'kennzeichen',
  'number[ _.-]?plate',
  '(^|[^a-z])plate([^a-z]|$)',
];

export interface LoadedCar {
  container: AssetContainer;
  root: TransformNode;
  /** Every mesh that draws, after plates and hidden helpers are gone. */
  meshes: AbstractMesh[];
  paintMaterials: PBRMaterial[];
  /** Surface bits (paint, plastic, glass, lamp, tyre) of each mesh damage may go on. */
  surfaces: Map<AbstractMesh, number>;
  /** Surface bits of each material the damage field is drawn on. */
  damageMaterials: Map<PBRMaterial, number>;
  parts: string[];
  partOf: Map<AbstractMesh, number>;
  /** World bounds after normalising, metres. */
  min: Vector3;
  max: Vector3;
  platesRemoved: string[];
}

/**
 * Loads the car at `url` and prepares it by `rules`. Any failure is the
 * file's (the page is fine), so its message starts with MODEL_LOAD_FAILED
 * and names the file as "the file" rather than by its URL.
 */
export async function loadCar(scene: Scene, url: string, rules: ModelRules): Promise<LoadedCar> {
  try {
    return await prepareCar(scene, url, rules);
  } catch (error) {
    const reason = String((error as Error)?.message ?? error).split(url).join('the file');
    throw new Error(`${MODEL_LOAD_FAILED}${reason}`);
  }
}

async function prepareCar(
  scene: Scene,
  url: string,
  rules: ModelRules,
): Promise<LoadedCar> {
  // Transmissive glass is drawn as thin blended glass (below), so the
  // loader's screen-space refraction render is never needed.
  const container = await LoadAssetContainerAsync(url, scene, { pluginOptions: { gltf: { dontUseTransmissionHelper: true } } });
  for (const material of container.materials) {
    if (material instanceof PBRMaterial) thinGlass(material);
  }

  const platesRemoved = removePlates(container, rules);
  removeHidden(container, rules.hide);

  const root = new TransformNode('car', scene);
  scene.removeTransformNode(root);
  container.transformNodes.push(root);
  for (const node of [...container.transformNodes, ...container.meshes]) {
    if (node !== root && !node.parent) node.parent = root;
  }
  container.addAllToScene();

  const meshes = container.meshes.filter(
    (m) => m.isEnabled() && m.getTotalVertices() > 0,
  );
  if (meshes.length === 0) {
    container.dispose();
    throw new Error('it has no meshes with vertices left after the plate and hide rules');
  }
  normalise(root, meshes, rules);
  const { min, max } = worldBounds(meshes);

  const paintMaterials = matchingMaterials(container, rules.paintMaterials);
  const { parts, partOf } = assignParts(meshes, rules, paintMaterials);
  const surfaces = new Map<AbstractMesh, number>();
  const damageMaterials = new Map<PBRMaterial, number>();
  for (const mesh of meshes) {
    const painted =
      rules.damageMeshes.length > 0
        ? matchesAny(namesOf(mesh), rules.damageMeshes)
        : mesh.material instanceof PBRMaterial && paintMaterials.includes(mesh.material);
    const bits = surfaceBits(parts[partOf.get(mesh)!], painted);
    if (bits === 0 || !(mesh.material instanceof PBRMaterial)) continue;
    surfaces.set(mesh, bits);
    damageMaterials.set(mesh.material, (damageMaterials.get(mesh.material) ?? 0) | bits);
  }

  container.removeAllFromScene();
  return {
    container,
    root,
    meshes,
    paintMaterials,
    surfaces,
    damageMaterials,
    parts,
    partOf,
    min,
    max,
    platesRemoved,
  };
}

/**
 * glTF transmission as thin glass: a car window bends what is behind it by
 * well under a pixel, so it is drawn alpha-blended over the scene (its
 * reflections kept at full strength), which the ID pass sees through like
 * any other clear cover.
 */
function thinGlass(material: PBRMaterial): void {
  const sub = material.subSurface;
  if (!sub.isRefractionEnabled) return;
  const transmission = sub.refractionIntensity;
  sub.isRefractionEnabled = false;
  material.transparencyMode = PBRMaterial.PBRMATERIAL_ALPHABLEND;
  material.alpha = Math.min(material.alpha, Math.max(0.12, 1 - 0.88 * transmission));
  material.useRadianceOverAlpha = true;
  material.useSpecularOverAlpha = true;
}

function removePlates(container: AssetContainer, rules: ModelRules): string[] {
  const patterns = [...BUILTIN_PLATE_PATTERNS, ...rules.plates.names];
  const removed: string[] = [];
  for (const mesh of [...container.meshes]) {
    const nodes = namesOf(mesh).filter((n) => matchesAny([n], patterns));
    const material = mesh.material?.name ?? '';
    if (nodes.length > 0 || matchesAny([material], patterns)) {
      // Report the outermost plate node, not each primitive under it.
      const name = nodes.length > 0 ? nodes[nodes.length - 1] : `material ${material}`;
      if (!removed.includes(name)) removed.push(name);
      disposeMesh(container, mesh);
    }
  }
  for (const region of rules.plates.uvRegions) {
    const re = new RegExp(region.mesh, 'i');
    for (const mesh of container.meshes) {
      if (!(mesh instanceof Mesh) || !re.test(mesh.name)) continue;
      const count = removeTrianglesInUvRegion(mesh, region.u, region.v);
      if (count > 0) removed.push(`${mesh.name}: ${count} triangles`);
    }
  }
  return removed;
}

function removeHidden(container: AssetContainer, hide: readonly string[]): void {
  if (hide.length === 0) return;
  for (const mesh of [...container.meshes]) {
    if (matchesAny([...namesOf(mesh), mesh.material?.name ?? ''], hide)) {
      disposeMesh(container, mesh);
    }
  }
}

function disposeMesh(container: AssetContainer, mesh: AbstractMesh): void {
  const index = container.meshes.indexOf(mesh);
  if (index >= 0) container.meshes.splice(index, 1);
  mesh.dispose(false, false);
}

/** Drops triangles whose three UVs lie in the rectangle; returns how many. */
function removeTrianglesInUvRegion(
  mesh: Mesh,
  u: [number, number],
  v: [number, number],
): number {
  const uvs = mesh.getVerticesData(VertexBuffer.UVKind);
  const indices = mesh.getIndices();
  if (!uvs || !indices) return 0;
  const inside = (i: number) =>
    uvs[2 * i] >= u[0] &&
    uvs[2 * i] <= u[1] &&
    uvs[2 * i + 1] >= v[0] &&
    uvs[2 * i + 1] <= v[1];
  const kept: number[] = [];
  let removed = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = [indices[t], indices[t + 1], indices[t + 2]];
    if (inside(a) && inside(b) && inside(c)) removed++;
    else kept.push(a, b, c);
  }
  if (removed > 0) mesh.setIndices(kept);
  return removed;
}

function normalise(root: TransformNode, meshes: AbstractMesh[], rules: ModelRules): void {
  const forward = axisVector(rules.forward);
  root.rotation.y = -Math.atan2(forward.x, forward.z);
  root.computeWorldMatrix(true);
  let { min, max } = worldBounds(meshes);
  let scale = rules.metresPerUnit ?? 1;
  if (rules.lengthM !== undefined) {
    const length = max.z - min.z;
    if (!(length > 0)) throw new Error('model has zero length along its forward axis');
    scale = rules.lengthM / length;
  }
  root.scaling.setAll(scale);
  root.computeWorldMatrix(true);
  ({ min, max } = worldBounds(meshes));
  root.position.set(-(min.x + max.x) / 2, -min.y, -(min.z + max.z) / 2);
  root.computeWorldMatrix(true);
  for (const mesh of meshes) mesh.computeWorldMatrix(true);
}

/**
 * The forward axis is given in the file's own glTF axes (right-handed, as
 * any glTF viewer shows them); Babylon loads glTF with x mirrored.
 */
function axisVector(axis: AxisName): Vector3 {
  const sign = axis[0] === '-' ? -1 : 1;
  if (axis[1] === 'y') {
    throw new Error(`forward axis ${axis} is vertical; give a horizontal axis such as +z`);
  }
  return axis[1] === 'x' ? new Vector3(-sign, 0, 0) : new Vector3(0, 0, sign);
}

export function worldBounds(meshes: readonly AbstractMesh[]): { min: Vector3; max: Vector3 } {
  const min = new Vector3(Infinity, Infinity, Infinity);
  const max = new Vector3(-Infinity, -Infinity, -Infinity);
  for (const mesh of meshes) {
    mesh.computeWorldMatrix(true);
    mesh.refreshBoundingInfo({});
    const box = mesh.getBoundingInfo().boundingBox;
    min.minimizeInPlace(box.minimumWorld);
    max.maximizeInPlace(box.maximumWorld);
  }
  return { min, max };
}

function matchingMaterials(container: AssetContainer, patterns: readonly string[]): PBRMaterial[] {
  return container.materials.filter(
    (m): m is PBRMaterial => m instanceof PBRMaterial && matchesAny([m.name], patterns),
  );
}

function assignParts(
  meshes: AbstractMesh[],
  rules: ModelRules,
  paintMaterials: PBRMaterial[],
): { parts: string[]; partOf: Map<AbstractMesh, number> } {
  const parts: string[] = [];
  const partOf = new Map<AbstractMesh, number>();
  for (const mesh of meshes) {
    const names = [...namesOf(mesh), mesh.material?.name ?? ''];
    const painted = paintMaterials.some((m) => m === mesh.material);
    const part = partFromRules(names, rules.parts) ?? (painted ? 'body' : 'other');
    let index = parts.indexOf(part);
    if (index < 0) index = parts.push(part) - 1;
    partOf.set(mesh, index);
  }
  return { parts, partOf };
}

/**
 * The first rule whose pattern matches one of `names`; a part of "$1" takes
 * the pattern's first capture, so one rule can name many parts.
 */
function partFromRules(names: readonly string[], rules: readonly PartRule[]): string | null {
  for (const rule of rules) {
    const re = new RegExp(rule.match, 'i');
    for (const name of names) {
      const m = re.exec(name);
      if (m) return rule.part.replace('$1', m[1] ?? m[0]);
    }
  }
  return null;
}

/** The mesh's own name and those of its ancestors, nearest first. */
export function namesOf(mesh: AbstractMesh): string[] {
  const names: string[] = [];
  for (let n: Node | null = mesh; n; n = n.parent) names.push(n.name);
  return names;
}

export function matchesAny(names: readonly string[], patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const re = new RegExp(p, 'i');
    return names.some((n) => re.test(n));
  });
}
