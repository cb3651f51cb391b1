import { Matrix, Mesh, MeshBuilder, NullEngine, Scene, Vector3, VertexData } from '@babylonjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/grid/random';
import type { PixelRect } from '../../src/protocol';
import type { DamageEntry } from '../../src/renderer/damage-field';
import { strokeRect } from '../../src/renderer/stroke-bounds';

const W = 320;
const H = 240;
const S = 2;
const EYE = new Vector3(0, 3, -4);
const VIEW_PROJECTION = Matrix.LookAtLH(EYE, new Vector3(0, 0.9, 0), Vector3.Up()).multiply(
  Matrix.PerspectiveFovLH((40 * Math.PI) / 180, W / H, 0.1, 100),
);

const engine = new NullEngine();
const scene = new Scene(engine);
afterAll(() => engine.dispose());

/** A 2 m square panel at height 0.9 m, facing up, in 20 x 20 squares. */
const panel = MeshBuilder.CreateGround('panel', { width: 2, height: 2, subdivisions: 20 }, scene);
panel.position.y = 0.9;
panel.computeWorldMatrix(true);

/** A 0.2 m square, centred on `centre`, spanned by the unit vectors `u` and `v`. */
function square(name: string, centre: Vector3, u: Vector3, v: Vector3): Mesh {
  const corners = [u.add(v), u.subtract(v), v.subtract(u), u.add(v).scale(-1)].map((d) => centre.add(d.scale(0.1)));
  const mesh = new Mesh(name, scene);
  const data = new VertexData();
  data.positions = corners.flatMap((c) => [c.x, c.y, c.z]);
  data.indices = [0, 1, 2, 1, 3, 2];
  data.applyToMesh(mesh);
  mesh.computeWorldMatrix(true);
  return mesh;
}

const scratch: DamageEntry[] = [
  { type: 2, instance: 0, labelFraction: 0, seed: 0, a: [-0.2, 0.9, 0], aw: 0.004, b: [0.05, 0.9, 0.05], bw: 0, normal: [0, 1, 0] },
  { type: 2, instance: 0, labelFraction: 0, seed: 0, a: [0.05, 0.9, 0.05], aw: 0.004, b: [0.2, 0.9, 0.1], bw: 0, normal: [0, 1, 0] },
];

/** The output pixel (rows bottom-up) whose samples include world point `p`. */
function pixelOf(p: Vector3): [number, number] {
  const ndc = Vector3.TransformCoordinates(p, VIEW_PROJECTION);
  return [Math.floor(((ndc.x + 1) / 2) * W), Math.floor(((ndc.y + 1) / 2) * H)];
}

function strictlyInside(rect: PixelRect, [x, y]: [number, number]): boolean {
  return x > rect.x && x < rect.x + rect.width - 1 && y > rect.y && y < rect.y + rect.height - 1;
}

describe('strokeRect', () => {
  // Somewhere on the slab of the stroke, 1.2 m off to the side, a small square.
  const aside = new Vector3(1.2, 0.9, 0.5);
  const towardEye = EYE.subtract(aside).normalize();

  it('holds every point of a scratch on a panel facing the camera, in a small part of the frame', () => {
    const rect = strokeRect(scratch, 0, [panel], EYE, VIEW_PROJECTION, W, H, S)!;
    const random = new Random(3);
    for (let i = 0; i < 2000; i++) {
      const segment = scratch[random.int(0, 1)];
      const on = Vector3.Lerp(Vector3.FromArray(segment.a), Vector3.FromArray(segment.b), random.next());
      const angle = random.uniform(0, 2 * Math.PI);
      const p = on.add(new Vector3(Math.cos(angle), 0, Math.sin(angle)).scale(segment.aw * random.next()));
      expect(strictlyInside(rect, pixelOf(p))).toBe(true);
    }
    expect(rect.width * rect.height).toBeLessThan((W * H) / 4);
  });

  it('reaches out to a triangle of the stroke\'s slab seen edge-on, whose footprint has no bound, but not to one facing the camera', () => {
    // A vertical square in the plane through the eye: every ray that meets it runs along it.
    const edgeOn = square('edge-on', aside, Vector3.Up(), Vector3.Cross(Vector3.Up(), Vector3.Cross(towardEye, Vector3.Up())).normalize());
    const facing = square('facing', aside, Vector3.Up(), Vector3.Cross(Vector3.Up(), towardEye).normalize());
    const near = strokeRect(scratch, 0, [panel], EYE, VIEW_PROJECTION, W, H, S)!;
    expect(strokeRect(scratch, 0, [panel, facing], EYE, VIEW_PROJECTION, W, H, S)).toEqual(near);
    const far = strokeRect(scratch, 0, [panel, edgeOn], EYE, VIEW_PROJECTION, W, H, S)!;
    expect(strictlyInside(far, pixelOf(aside))).toBe(true);
    expect(strictlyInside(near, pixelOf(aside))).toBe(false);
    edgeOn.dispose();
    facing.dispose();
  });

  it('gives no rectangle when a triangle that may carry the stroke reaches behind the camera, and an empty one when none can', () => {
    // Edge-on to the eye, in the slab, and running back past the eye.
    const behind = square('behind', EYE.add(new Vector3(0, -2.1, 0)), Vector3.Up(), new Vector3(0, 0, 60));
    expect(strokeRect(scratch, 0, [panel, behind], EYE, VIEW_PROJECTION, W, H, S)).toBeNull();
    behind.dispose();
    const away = square('away', new Vector3(0, 3, 3), new Vector3(1, 0, 0), new Vector3(0, 0, 1));
    expect(strokeRect(scratch, 0, [away], EYE, VIEW_PROJECTION, W, H, S)).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});
