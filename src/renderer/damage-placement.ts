/**
 * Puts each requested damage on the surface it belongs on (dents and
 * scratches on paint, cracks on plastic, shatter on glass, broken lamps on
 * lamps): a point drawn by area with the job's seeded random source, kept
 * only where the camera can see it (when asked) and clear of other damage.
 * Scratches and cracks then walk along the surface in a few segments.
 */
import { Ray, Vector3, VertexBuffer, type AbstractMesh, type Camera, type Scene } from '@babylonjs/core';
import type { DamageAim, DamageRequest, PlacedDamage } from '../protocol';
import { Random } from '../grid/random';
import {
  DAMAGE_TYPE_CRACK,
  DAMAGE_TYPE_DENT,
  DAMAGE_TYPE_GLASS_SHATTER,
  DAMAGE_TYPE_LAMP_BROKEN,
  DAMAGE_TYPE_SCRATCH,
  DAMAGE_TYPE_TIRE_FLAT,
  type DamageEntry,
} from './damage-field';

const ATTEMPTS = 80;
const SCRATCH_SEGMENTS = 5;

interface SurfacePoint {
  mesh: AbstractMesh;
  position: Vector3;
  normal: Vector3;
}

/** Area-weighted triangle sampler over the damageable meshes, world space. */
export class SurfaceSampler {
  private readonly triangles: { mesh: AbstractMesh; p: Vector3[]; n: Vector3[] }[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(meshes: readonly AbstractMesh[]) {
    for (const mesh of meshes) {
      const positions = mesh.getVerticesData(VertexBuffer.PositionKind);
      const normals = mesh.getVerticesData(VertexBuffer.NormalKind);
      const indices = mesh.getIndices();
      if (!positions || !normals || !indices) continue;
      const world = mesh.computeWorldMatrix(true);
      const vertex = (i: number) =>
        Vector3.TransformCoordinates(Vector3.FromArray(positions, 3 * i), world);
      const normal = (i: number) =>
        Vector3.TransformNormal(Vector3.FromArray(normals, 3 * i), world).normalize();
      for (let t = 0; t < indices.length; t += 3) {
        const ids = [indices[t], indices[t + 1], indices[t + 2]];
        const p = ids.map(vertex);
        const area = Vector3.Cross(p[1].subtract(p[0]), p[2].subtract(p[0])).length() / 2;
        if (!(area > 0)) continue;
        this.total += area;
        this.cumulative.push(this.total);
        this.triangles.push({ mesh, p, n: ids.map(normal) });
      }
    }
  }

  get empty(): boolean {
    return this.triangles.length === 0;
  }

  /**
   * The wheel nearest `point`, taking these meshes as tyres: their vertices
   * fall into four corners of the car (left/right, front/rear), one wheel
   * each, whether the model has one mesh per wheel or one for all four.
   */
  wheelAt(point: Vector3): { centre: Vector3; radius: number; halfWidth: number } {
    const corner = (p: Vector3) => (p.x < 0 ? 0 : 1) + (p.z < 0 ? 0 : 2);
    const want = corner(point);
    const min = new Vector3(Infinity, Infinity, Infinity);
    const max = new Vector3(-Infinity, -Infinity, -Infinity);
    for (const t of this.triangles) {
      for (const p of t.p) {
        if (corner(p) !== want) continue;
        min.minimizeInPlace(p);
        max.maximizeInPlace(p);
      }
    }
    const centre = min.add(max).scale(0.5);
    return { centre, radius: (max.y - min.y) / 2, halfWidth: (max.x - min.x) / 2 };
  }

  sample(random: Random): SurfacePoint {
    const r = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    const tri = this.triangles[lo];
    let a = random.next();
    let b = random.next();
    if (a + b > 1) [a, b] = [1 - a, 1 - b];
    const c = 1 - a - b;
    const position = tri.p[0].scale(c).add(tri.p[1].scale(a)).add(tri.p[2].scale(b));
    const normal = tri.n[0].scale(c).add(tri.n[1].scale(a)).add(tri.n[2].scale(b)).normalize();
    return { mesh: tri.mesh, position, normal };
  }
}

export interface Placement {
  placed: PlacedDamage[];
  unplaced: { request: DamageRequest; reason: string }[];
  entries: DamageEntry[];
}

/** Where one kind of damage may go: the meshes of that surface and their sampler. */
export interface Surface {
  meshes: ReadonlySet<AbstractMesh>;
  sampler: SurfaceSampler;
}

export interface PlacementContext {
  scene: Scene;
  camera: Camera;
  /** The surface of each damage type's surface bit (see surface-kinds). */
  surfaceFor: (type: DamageRequest['type']) => Surface;
  /** Everything that can hide a damage from the camera. */
  solids: ReadonlySet<AbstractMesh>;
  /** The part a damage at this point of this mesh is on. */
  partName: (mesh: AbstractMesh, position: Vector3, normal: Vector3) => string;
  placeVisible: boolean;
  labelFraction: number;
  /** Output image size in pixels, for aimed damage. */
  imageWidth: number;
  imageHeight: number;
}

export function placeDamage(
  requests: readonly DamageRequest[],
  random: Random,
  ctx: PlacementContext,
): Placement {
  const result: Placement = { placed: [], unplaced: [], entries: [] };
  const taken: { centre: Vector3; radius: number }[] = [];
  for (const request of requests) {
    const surface = ctx.surfaceFor(request.type);
    if (surface.sampler.empty) {
      result.unplaced.push({ request, reason: `the model has no surface for ${request.type}` });
      continue;
    }
    const radius =
      request.type === 'dent' ? request.radiusM * request.elongation : 'radiusM' in request ? request.radiusM : 'lengthM' in request ? request.lengthM / 2 : 0.3;
    const point = request.aim ? aimedSpot(request.aim, ctx, surface) : findSpot(random, ctx, surface, radius, taken);
    if (!point) {
      const reason = request.aim
        ? `no ${request.type} surface ${request.aim.layer} deep under pixel (${request.aim.x}, ${request.aim.y})`
        : `no visible free spot for ${request.type} in ${ATTEMPTS} tries`;
      result.unplaced.push({ request, reason });
      continue;
    }
    const index = result.placed.length;
    const before = result.entries.length;
    const base = { instance: index, labelFraction: ctx.labelFraction, seed: Math.floor(random.next() * 1000) };
    if (request.type === 'dent') {
      const crease = tangentAt(point.normal, random.uniform(0, Math.PI));
      result.entries.push({
        ...base,
        type: DAMAGE_TYPE_DENT,
        a: xyz(point.position),
        aw: request.radiusM,
        b: xyz(point.normal),
        bw: request.depthM,
        normal: xyz(crease),
        nw: request.elongation,
      });
    } else if (request.type === 'tire_flat') {
      const wheel = surface.sampler.wheelAt(point.position);
      const drop = request.deflation * 0.35 * wheel.radius;
      result.entries.push({ ...base, type: DAMAGE_TYPE_TIRE_FLAT, a: xyz(wheel.centre), aw: wheel.radius, b: [0, wheel.halfWidth, drop], bw: 0, normal: [0, 1, 0] });
    } else if (request.type === 'glass_shatter' || request.type === 'lamp_broken') {
      const type = request.type === 'glass_shatter' ? DAMAGE_TYPE_GLASS_SHATTER : DAMAGE_TYPE_LAMP_BROKEN;
      result.entries.push({ ...base, type, a: xyz(point.position), aw: request.radiusM, b: xyz(point.normal), bw: 0, normal: xyz(point.normal) });
    } else {
      const type = request.type === 'crack' ? DAMAGE_TYPE_CRACK : DAMAGE_TYPE_SCRATCH;
      const strokes = [walkStroke(point, request.lengthM, request.type === 'crack' ? 0.6 : request.curvature, random, surface, ctx)];
      // A crack forks: each branch starts on the main line and runs off at an angle.
      for (let b = 0; request.type === 'crack' && b < request.branches; b++) {
        const main = strokes[0];
        const [from, , normal] = main[Math.min(main.length - 1, random.int(0, main.length - 1))];
        strokes.push(walkStroke({ mesh: point.mesh, position: from, normal }, request.lengthM * random.uniform(0.25, 0.5), 0.5, random, surface, ctx));
      }
      for (const [a, b, n] of strokes.flat()) {
        const layer = request.type === 'scratch' ? ['clear_coat', 'primer', 'bare_metal'].indexOf(request.layer) : 0;
        result.entries.push({ ...base, type, a: xyz(a), aw: request.widthM / 2, b: xyz(b), bw: layer, normal: xyz(n) });
      }
    }
    taken.push({ centre: point.position, radius });
    result.placed.push({
      index,
      type: request.type,
      part: ctx.partName(point.mesh, point.position, point.normal),
      centre: xyz(point.position),
      normal: xyz(point.normal),
      request,
      segments: result.entries.length - before,
    });
  }
  return result;
}

function findSpot(
  random: Random,
  ctx: PlacementContext,
  surface: Surface,
  radius: number,
  taken: readonly { centre: Vector3; radius: number }[],
): SurfacePoint | null {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const point = surface.sampler.sample(random);
    if (taken.some((t) => Vector3.Distance(t.centre, point.position) < t.radius + radius)) continue;
    if (ctx.placeVisible && !seenByCamera(point, surface, ctx)) continue;
    return point;
  }
  return null;
}

/** The `aim.layer`-th point of `surface` on the camera ray through image point (x, y). */
function aimedSpot(aim: DamageAim, ctx: PlacementContext, surface: Surface): SurfacePoint | null {
  const viewProjection = ctx.camera.getViewMatrix().multiply(ctx.camera.getProjectionMatrix());
  const inverse = viewProjection.clone().invert();
  const ndcX = (2 * aim.x) / ctx.imageWidth - 1;
  const ndcY = 1 - (2 * aim.y) / ctx.imageHeight;
  const near = Vector3.TransformCoordinates(new Vector3(ndcX, ndcY, 0), inverse);
  const far = Vector3.TransformCoordinates(new Vector3(ndcX, ndcY, 1), inverse);
  const direction = far.subtract(near).normalize();
  const hits = (ctx.scene.multiPickWithRay(new Ray(near, direction, 1000), (m) => surface.meshes.has(m)) ?? [])
    .filter((h) => h.hit && h.pickedPoint)
    .sort((a, b) => a.distance - b.distance);
  const hit = hits[aim.layer];
  if (!hit) return null;
  // The normal that faces the ray's origin side of the surface it lies on.
  const normal = hit.getNormal(true, true) ?? direction.scale(-1);
  return { mesh: hit.pickedMesh!, position: hit.pickedPoint!, normal };
}

function seenByCamera(point: SurfacePoint, surface: Surface, ctx: PlacementContext): boolean {
  const eye = ctx.camera.position;
  const toPoint = point.position.subtract(eye);
  const distance = toPoint.length();
  const dir = toPoint.scale(1 / distance);
  if (Vector3.Dot(dir, point.normal) > -0.25) return false;
  const viewProjection = ctx.camera.getViewMatrix().multiply(ctx.camera.getProjectionMatrix());
  const ndc = Vector3.TransformCoordinates(point.position, viewProjection);
  if (Math.abs(ndc.x) > 0.95 || Math.abs(ndc.y) > 0.95 || ndc.z < 0 || ndc.z > 1) return false;
  const hit = ctx.scene.pickWithRay(new Ray(eye, dir, distance + 1), (m) => ctx.solids.has(m));
  return !!hit?.hit && Math.abs(hit.distance - distance) < 0.01 && surface.meshes.has(hit.pickedMesh!);
}

/** Segments [start, end, normal] of a stroke that follows the surface from `start`. */
function walkStroke(
  start: SurfacePoint,
  length: number,
  curvature: number,
  random: Random,
  surface: Surface,
  ctx: PlacementContext,
): [Vector3, Vector3, Vector3][] {
  const segments: [Vector3, Vector3, Vector3][] = [];
  let position = start.position;
  let normal = start.normal;
  const angle = random.uniform(0, 2 * Math.PI);
  let direction = tangentAt(normal, angle);
  const step = length / SCRATCH_SEGMENTS;
  for (let i = 0; i < SCRATCH_SEGMENTS; i++) {
    const bend = random.uniform(-curvature, curvature);
    // Where the panel ends (glass, a lamp, an edge), turn away rather than stop.
    let taken: { next: Vector3; nextNormal: Vector3; direction: Vector3 } | null = null;
    for (const turn of [0, 1, -1, 2, -2]) {
      const tried = turnOnSurface(direction, normal, bend + turn * (Math.PI / 3));
      taken = stepOnSurface(position, normal, tried, step, surface, ctx);
      if (taken) break;
    }
    if (!taken) break;
    segments.push([position, taken.next, normal.add(taken.nextNormal).normalize()]);
    position = taken.next;
    normal = taken.nextNormal;
    direction = taken.direction;
  }
  if (segments.length === 0) {
    const end = position.add(direction.scale(step));
    segments.push([position, end, normal]);
  }
  return segments;
}

/** The surface point `step` metres from `position` along `direction`, if the damageable surface continues there. */
function stepOnSurface(
  position: Vector3,
  normal: Vector3,
  direction: Vector3,
  step: number,
  surface: Surface,
  ctx: PlacementContext,
): { next: Vector3; nextNormal: Vector3; direction: Vector3 } | null {
  const guess = position.add(direction.scale(step));
  const hit = ctx.scene.pickWithRay(new Ray(guess.add(normal.scale(0.08)), normal.scale(-1), 0.2), (m) =>
    surface.meshes.has(m),
  );
  if (!hit?.hit || !hit.pickedPoint) return null;
  const nextNormal = hit.getNormal(true, true) ?? normal;
  if (Vector3.Dot(nextNormal, normal) < 0.5) return null;
  return { next: hit.pickedPoint, nextNormal, direction };
}

/** The unit tangent to `normal` at `angle` radians from a fixed reference. */
function tangentAt(normal: Vector3, angle: number): Vector3 {
  const helper = Math.abs(normal.y) < 0.9 ? Vector3.Up() : Vector3.Right();
  const u = Vector3.Cross(normal, helper).normalize();
  const v = Vector3.Cross(normal, u).normalize();
  return u.scale(Math.cos(angle)).add(v.scale(Math.sin(angle)));
}

/** `direction` flattened onto the tangent plane of `normal`, turned by `bend` radians. */
function turnOnSurface(direction: Vector3, normal: Vector3, bend: number): Vector3 {
  const flat = direction.subtract(normal.scale(Vector3.Dot(direction, normal))).normalize();
  const side = Vector3.Cross(normal, flat).normalize();
  return flat.scale(Math.cos(bend)).add(side.scale(Math.sin(bend))).normalize();
}

function xyz(v: Vector3): [number, number, number] {
  return [v.x, v.y, v.z];
}
