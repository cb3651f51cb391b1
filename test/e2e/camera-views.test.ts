import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SHARED, runCli, tempDir, writeConfig } from './run-cli';

const hasShared = existsSync(join(SHARED, 'environments'));

describe('damage close-ups', () => {
  it('turns the camera to the first damage: its centre lands in the middle of the image, near and large', async () => {
    const config = writeConfig({
      name: 'close-ups',
      seed: 12,
      models: ['dentfarm-sedan'],
      paints: ['red'],
      damage: { dent: { count: 1, radiusCm: [8, 12], depthMm: 20 } },
      lighting: [{ environment: 'studio' }],
      views: [{ name: 'inspect', frame: 'damage', distanceM: [0.8, 1.2], focalLengthMm: 28 }],
      samples: 3,
      image: { width: 320, height: 240, supersample: 1 },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '1']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images).toHaveLength(3);
    for (const image of coco.images) {
      const camera = image.dentfarm.camera;
      expect(camera.frame).toBe('damage');
      const [a] = coco.annotations.filter((x: any) => x.image_id === image.id);
      expect(a, image.file_name).toBeDefined();
      // Project the damage centre with the record: p_cam = [X Y Z 1] * M (row vectors).
      const M = camera.world_to_camera_row_vector;
      const [X, Y, Z] = a.attributes.centre_world_m;
      const cam = [0, 1, 2].map((j) => X * M[j] + Y * M[4 + j] + Z * M[8 + j] + M[12 + j]);
      const u = camera.intrinsics.cx + (camera.intrinsics.fx * cam[0]) / cam[2];
      const v = camera.intrinsics.cy - (camera.intrinsics.fy * cam[1]) / cam[2];
      // The centre is rounded to 0.1 mm in the record: well under a pixel here.
      expect(Math.abs(u - 160)).toBeLessThan(1);
      expect(Math.abs(v - 120)).toBeLessThan(1);
      expect(Math.hypot(...cam)).toBeCloseTo(camera.close_up_distance_m, 2);
      // A 8-12 cm dent from about a metre through a 28 mm lens spans tens of pixels.
      expect(a.bbox[2]).toBeGreaterThan(30);
    }
  }, 300_000);
});

describe('camera height', () => {
  it('puts the camera at the height a person holds a phone, the car still fitted', async () => {
    const config = writeConfig({
      name: 'phone',
      seed: 5,
      models: ['dentfarm-suv'],
      paints: ['white'],
      damage: { dent: { count: 0 } },
      lighting: [{ environment: 'studio' }],
      views: [{ name: 'phone', heightM: [1.2, 1.7], focalLengthMm: 26 }],
      samples: 3,
      image: { width: 160, height: 120, supersample: 1 },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '1', '--parts']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    for (const image of coco.images) {
      const camera = image.dentfarm.camera;
      expect(camera.height_m).toBeGreaterThanOrEqual(1.2);
      expect(camera.height_m).toBeLessThanOrEqual(1.7);
      // The recorded position is where the camera really was.
      expect(Math.abs(camera.position[1] - camera.height_m)).toBeLessThan(0.02);
      // Fitted: the car's parts reach across most of the frame's width or height.
      const parts = coco.annotations.filter((a: any) => a.image_id === image.id);
      const x0 = Math.min(...parts.map((a: any) => a.bbox[0]));
      const x1 = Math.max(...parts.map((a: any) => a.bbox[0] + a.bbox[2]));
      const y0 = Math.min(...parts.map((a: any) => a.bbox[1]));
      const y1 = Math.max(...parts.map((a: any) => a.bbox[1] + a.bbox[3]));
      expect(Math.max((x1 - x0) / 160, (y1 - y0) / 120)).toBeGreaterThan(0.6);
    }
  }, 300_000);
});

describe('backplate perspective', () => {
  it("takes the photo's camera height and focal length and puts the horizon on the photo's horizon row", async () => {
    const dir = tempDir();
    const photo = join(dir, 'street.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 130, b: 140 } } }).png().toFile(photo);
    const config = writeConfig({
      name: 'backplate',
      seed: 6,
      models: ['dentfarm-hatchback'],
      paints: ['blue'],
      damage: { dent: { count: 0 } },
      lighting: [{ environment: 'studio' }],
      backgrounds: [{ name: 'street', type: 'image', file: photo, camera: { horizon: 0.4, heightM: 1.6, focalLengthMm: 26 } }],
      views: [{ name: 'any', azimuthDeg: [0, 360], elevationDeg: [20, 30], focalLengthMm: 50 }],
      samples: 3,
      image: { width: 160, height: 120, supersample: 1 },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '1']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    for (const image of coco.images) {
      const camera = image.dentfarm.camera;
      expect(camera.focal_length_35mm).toBe(26);
      expect(Math.abs(camera.position[1] - 1.6)).toBeLessThan(0.02);
      // A point far away at the camera's own height lies on the horizon.
      const [px, py, pz] = camera.position;
      const [tx, , tz] = camera.target;
      const level = [tx - px, 0, tz - pz];
      const n = Math.hypot(...level);
      const far = [px + (1e4 * level[0]) / n, py, pz + (1e4 * level[2]) / n];
      const M = camera.world_to_camera_row_vector;
      const cam = [0, 1, 2].map((j) => far[0] * M[j] + far[1] * M[4 + j] + far[2] * M[8 + j] + M[12 + j]);
      const v = camera.intrinsics.cy - (camera.intrinsics.fy * cam[1]) / cam[2];
      expect(Math.abs(v - 0.4 * 120)).toBeLessThan(0.5);
    }
  }, 300_000);
});

/** Degrees a camera record faces, 0 along -z and growing with the azimuth, as the environment turns. */
function headingOf(camera: { position: number[]; target: number[] }): number {
  const [px, , pz] = camera.position;
  const [tx, , tz] = camera.target;
  return (Math.atan2(tx - px, -(tz - pz)) * 180) / Math.PI;
}

const mod360 = (degrees: number) => ((degrees % 360) + 360) % 360;

describe('photo cut from the environment', () => {
  it('turns the environment with the camera, and shows the environment instead of the photo in close-ups', async () => {
    const dir = tempDir();
    const photo = join(dir, 'magenta.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 255, g: 0, b: 255 } } }).png().toFile(photo);
    const config = writeConfig({
      name: 'turned',
      seed: 8,
      models: ['dentfarm-sedan'],
      paints: ['blue'],
      damage: { dent: { count: 1, radiusCm: 10, depthMm: 20 } },
      lighting: [{ environment: 'sky:overcast', environmentRotationDeg: [0, 360] }],
      backgrounds: [{ name: 'photo', type: 'image', file: photo, camera: { horizon: 0.5, heightM: 1.6, focalLengthMm: 24, environmentRotationDeg: 100 } }],
      views: [
        { name: 'around', azimuthDeg: [0, 360] },
        { name: 'inspect', frame: 'damage', distanceM: 1 },
      ],
      samples: 3,
      image: { width: 160, height: 120, supersample: 1, format: 'png' },
      annotations: { minVisibleChange: 0 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '1']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images).toHaveLength(6);
    for (const image of coco.images) {
      const { camera, lighting_values: lighting } = image.dentfarm;
      // The photo's view stays behind the car: rotation = 100 + where the camera faces.
      const expected = mod360(100 + headingOf(camera));
      const off = Math.abs(mod360(lighting.environmentRotationDeg - expected + 180) - 180);
      expect(off, image.file_name).toBeLessThan(0.01);

      const rgb = await sharp(join(out, image.file_name)).removeAlpha().raw().toBuffer();
      let magenta = 0;
      for (let i = 0; i < rgb.length; i += 3) if (rgb[i] > 200 && rgb[i + 1] < 60 && rgb[i + 2] > 200) magenta++;
      const share = magenta / (rgb.length / 3);
      if (camera.frame === 'car') expect(share, image.file_name).toBeGreaterThan(0.2);
      else expect(share, image.file_name).toBe(0);
    }
  }, 300_000);

  it.skipIf(!hasShared)("puts the photo's own view behind the car at any azimuth (real panorama and the photo cut from it)", async () => {
    // The street photo is a view of the street panorama; rendered with the
    // rotation the record gives, the panorama itself must show that view.
    const environment = join(SHARED, 'environments/potsdamer_platz_1k.env');
    const photo = join(SHARED, 'backgrounds/potsdamer_platz_street_view_1024x768.jpg');
    const common = {
      seed: 9,
      models: ['dentfarm-hatchback'],
      paints: ['white'],
      damage: { dent: { count: 0 } },
      image: { width: 320, height: 240, supersample: 1, format: 'png' },
      annotations: { minVisibleChange: 0 },
    };
    const onPhoto = writeConfig({
      ...common,
      name: 'on-photo',
      lighting: [{ name: 'street', environment, sun: null }],
      backgrounds: [{ name: 'photo', type: 'image', file: photo, camera: { horizon: 0.46, heightM: 1.6, focalLengthMm: 19, environmentRotationDeg: 270 } }],
      views: [{ name: 'side', azimuthDeg: 127, fill: 0.35 }],
    });
    const photoOut = tempDir();
    const first = await runCli(['render', onPhoto, '--out', photoOut, '--workers', '1']);
    expect(first.code, first.stderr).toBe(0);
    const [job] = JSON.parse(readFileSync(join(photoOut, 'annotations.json'), 'utf8')).images;
    const rotation = job.dentfarm.lighting_values.environmentRotationDeg;

    // The same camera heading and lens, the panorama as the background, at that rotation and a quarter turn off.
    const panorama = writeConfig({
      ...common,
      name: 'panorama',
      lighting: [
        { name: 'matched', environment, environmentRotationDeg: rotation, sun: null },
        { name: 'quarter-off', environment, environmentRotationDeg: mod360(rotation + 90), sun: null },
      ],
      backgrounds: [{ name: 'sky', type: 'environment', ground: 'none' }],
      views: [{ name: 'side', azimuthDeg: 127, elevationDeg: 3, focalLengthMm: 19, fill: 0.35 }],
    });
    const panoramaOut = tempDir();
    const second = await runCli(['render', panorama, '--out', panoramaOut, '--workers', '1']);
    expect(second.code, second.stderr).toBe(0);
    const images = JSON.parse(readFileSync(join(panoramaOut, 'annotations.json'), 'utf8')).images;
    const grey = async (file: string) => sharp(file).resize(320, 240, { fit: 'fill' }).removeAlpha().greyscale().raw().toBuffer();
    const reference = await grey(photo);
    // The top quarter: sky and buildings, above the car.
    const correlation = (a: Buffer, b: Buffer) => {
      const n = 320 * 60;
      let ma = 0;
      let mb = 0;
      for (let i = 0; i < n; i++) {
        ma += a[i] / n;
        mb += b[i] / n;
      }
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < n; i++) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) ** 2;
        bb += (b[i] - mb) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    const score = async (lighting: string) => {
      const image = images.find((i: any) => i.dentfarm.lighting === lighting);
      return correlation(reference, await grey(join(panoramaOut, image.file_name)));
    };
    expect(await score('matched')).toBeGreaterThan(0.85);
    expect(await score('quarter-off')).toBeLessThan(0.5);
  }, 300_000);
});
