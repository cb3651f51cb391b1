import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { areaAndBox, maskFromRle } from './coco-reference';
import { ROOT, SHARED, runCli, tempDir, writeConfig } from './run-cli';

const hasShared = existsSync(join(SHARED, 'car-models'));

const smallConfig = {
  name: 'e2e-shared',
  seed: 11,
  modelDirs: [join(ROOT, 'car-models/shared')],
  models: ['quaternius-sedan', 'generic-suv', 'generic-sedan-2010-plated'],
  paints: [{ name: 'red', color: '#8e1b1b', finish: 'solid' }],
  damage: {
    dent: { count: 2, radiusCm: [8, 14], depthMm: [15, 30] },
    scratch: { count: 1, lengthCm: [25, 40], widthMm: [20, 30] },
  },
  lighting: [{ name: 'city', environment: join(SHARED, 'environments/potsdamer_platz_1k.env') }],
  views: [
    { name: 'front', azimuthDeg: [25, 45], elevationDeg: [8, 16] },
    { name: 'rear', azimuthDeg: [205, 225], elevationDeg: [8, 16] },
  ],
  image: { width: 320, height: 240 },
  annotations: { minVisiblePixels: 6 },
};

async function pixels(file: string): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}

describe.runIf(hasShared)('dentfarm render on real third-party models', () => {
  const config = writeConfig(smallConfig);
  const out = tempDir();
  let run: Awaited<ReturnType<typeof runCli>>;
  let coco: any;

  beforeAll(async () => {
    run = await runCli(['render', config, '--out', out, '--workers', '2']);
    coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
  }, 600_000);

  it('exits 0 and reports what it rendered on stdout', () => {
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(summary.rendered).toBe(6);
    expect(summary.failed).toBe(0);
  });

  it('lists every image with its real size, ids from 1 and the WebGL renderer', async () => {
    expect(coco.images.map((i: any) => i.id)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const image of coco.images) {
      const meta = await sharp(join(out, image.file_name)).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([image.width, image.height, 'png']);
      expect(image.dentfarm.webgl_renderer).toMatch(/\w/);
      expect(image.dentfarm.camera.intrinsics.fx).toBeGreaterThan(0);
    }
    expect(coco.categories.map((c: any) => c.name)).toEqual(['dent', 'scratch', 'crack', 'glass_shatter', 'lamp_broken', 'tire_flat']);
  });

  it('writes masks whose decoded pixel count is the area and whose box is the bbox', () => {
    expect(coco.annotations.length).toBeGreaterThan(6);
    coco.annotations.forEach((a: any, i: number) => {
      expect(a.id).toBe(i + 1);
      const image = coco.images.find((im: any) => im.id === a.image_id);
      expect(a.segmentation.size).toEqual([image.height, image.width]);
      const { area, bbox } = areaAndBox(maskFromRle(a.segmentation.size, a.segmentation.counts), image.height, image.width);
      expect(area).toBe(a.area);
      expect(bbox).toEqual(a.bbox);
      // Damage too small to learn from stays as an ignore region.
      expect(a.iscrowd).toBe(a.area < 6 ? 1 : 0);
      expect([1, 2]).toContain(a.category_id);
    });
  });

  it('records a camera that projects each damage centre into its box', () => {
    for (const a of coco.annotations) {
      const image = coco.images.find((im: any) => im.id === a.image_id);
      const { intrinsics, world_to_camera_row_vector: m } = image.dentfarm.camera;
      const [X, Y, Z] = a.attributes.centre_world_m;
      const x = X * m[0] + Y * m[4] + Z * m[8] + m[12];
      const y = X * m[1] + Y * m[5] + Z * m[9] + m[13];
      const z = X * m[2] + Y * m[6] + Z * m[10] + m[14];
      const u = intrinsics.cx + (intrinsics.fx * x) / z;
      const v = intrinsics.cy - (intrinsics.fy * y) / z;
      const [bx, by, bw, bh] = a.bbox;
      expect(z).toBeGreaterThan(0);
      expect(u).toBeGreaterThan(bx - 3);
      expect(u).toBeLessThan(bx + bw + 3);
      expect(v).toBeGreaterThan(by - 3);
      expect(v).toBeLessThan(by + bh + 3);
    }
  });

  it('puts dents and scratches on most images', () => {
    const withDamage = new Set(coco.annotations.map((a: any) => a.image_id));
    expect(withDamage.size).toBeGreaterThanOrEqual(5);
    const categories = new Set(coco.annotations.map((a: any) => a.category_id));
    expect([...categories].sort()).toEqual([1, 2]);
  });

  it('removes plate nodes and plates painted into a texture', () => {
    const removed = (model: string) =>
      coco.images.filter((i: any) => i.dentfarm.model.id === model).flatMap((i: any) => i.dentfarm.plates_removed);
    expect(removed('generic-sedan-2010-plated')).toContain('license_plate_front');
    expect(removed('generic-sedan-2010-plated')).toContain('license_plate_rear');
    // SOURCES.md counts 26 plate triangles in Details_Texture_0.
    expect(removed('generic-suv')).toContain('Details_Texture_0: 26 triangles');
  });

  it('renders the same config and seed to identical bytes and pixels', async () => {
    const again = tempDir();
    const second = await runCli(['render', config, '--out', again, '--workers', '1']);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(again, 'annotations.json'))).toEqual(readFileSync(join(out, 'annotations.json')));
    const files = readdirSync(join(out, 'images')).sort();
    expect(readdirSync(join(again, 'images')).sort()).toEqual(files);
    for (const f of files) {
      expect((await pixels(join(again, 'images', f))).equals(await pixels(join(out, 'images', f)))).toBe(true);
    }
  }, 600_000);
});

describe.runIf(hasShared)('licence plates', () => {
  it('leave no trace: the plated sedan renders like the sedan without plates, front and rear', async () => {
    const config = writeConfig({
      name: 'plates',
      modelDirs: [join(ROOT, 'car-models/shared')],
      models: ['generic-sedan-2010', 'generic-sedan-2010-plated'],
      paints: ['silver'],
      damage: {},
      lighting: [{ environment: join(SHARED, 'environments/potsdamer_platz_1k.env'), environmentRotationDeg: 0, sun: { azimuthDeg: 30, elevationDeg: 45, intensity: 3 } }],
      views: [
        { name: 'front', azimuthDeg: 0, elevationDeg: 6, focalLengthMm: 50, fill: 0.9 },
        { name: 'rear', azimuthDeg: 180, elevationDeg: 6, focalLengthMm: 50, fill: 0.9 },
      ],
      image: { width: 320, height: 240 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '2']);
    expect(run.code, run.stderr).toBe(0);
    for (const view of ['front', 'rear']) {
      const plain = await pixels(join(out, `images/generic-sedan-2010__silver__light0__environment__${view}__0.png`));
      const plated = await pixels(join(out, `images/generic-sedan-2010-plated__silver__light0__environment__${view}__0.png`));
      // A plate (520 x 110 mm) seen head-on here covers a solid block of some
      // 100+ pixels. The two files also differ in lighting by rounding on
      // isolated bright ground specks, so look for blocks, not single pixels.
      const blob = largestDifferingBlob(plain, plated, 320, 240);
      expect(blob, `${view}: largest block of changed pixels`).toBeLessThan(12);
    }
  }, 600_000);
});

/** Size of the largest 8-connected group of pixels that differ between two RGB images. */
function largestDifferingBlob(a: Buffer, b: Buffer, w: number, h: number): number {
  const differs = new Uint8Array(w * h);
  for (let p = 0; p < w * h; p++) {
    if (a[3 * p] !== b[3 * p] || a[3 * p + 1] !== b[3 * p + 1] || a[3 * p + 2] !== b[3 * p + 2]) differs[p] = 1;
  }
  let largest = 0;
  for (let start = 0; start < w * h; start++) {
    if (!differs[start]) continue;
    differs[start] = 0;
    const stack = [start];
    let size = 0;
    while (stack.length) {
      const p = stack.pop()!;
      size++;
      const [x, y] = [p % w, Math.floor(p / w)];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [nx, ny] = [x + dx, y + dy];
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (differs[q]) {
            differs[q] = 0;
            stack.push(q);
          }
        }
      }
    }
    largest = Math.max(largest, size);
  }
  return largest;
}
