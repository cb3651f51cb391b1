/**
 * A tiny dataset written by hand for the report, serve and export tests:
 * four 120 x 100 images and seven annotations whose counts are worked out
 * in the comments, plus the scene config three of its images come from.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodeRleString } from '../../src/annotation/rle';

export const WIDTH = 120;
export const HEIGHT = 100;

/**
 * 3 models x 2 paints x 2 lightings x 1 background x 2 views x 1 sample =
 * 24 jobs; every job requests exactly 2 dents and 1 crack.
 */
export const FIXTURE_CONFIG = {
  name: 'fixture',
  seed: 7,
  models: ['dentfarm-sedan', 'dentfarm-hatchback', 'dentfarm-suv'],
  paints: ['white', 'black'],
  damage: { dent: { count: 2 }, crack: { count: 1 } },
  lighting: [
    { name: 'clear', environment: 'sky:clear' },
    { name: 'overcast', environment: 'sky:overcast', sun: null },
  ],
  backgrounds: [{ name: 'street', type: 'environment', ground: 'asphalt' }],
  views: [
    { name: 'front', azimuthDeg: [340, 20], elevationDeg: [5, 15] },
    { name: 'side', azimuthDeg: [70, 110], elevationDeg: [5, 15] },
  ],
  image: { width: WIDTH, height: HEIGHT },
};

/** A mask of the listed rectangles `[x, y, w, h]`, minus the `holes`. */
export function rectMask(rects: number[][], holes: number[][] = []): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(WIDTH * HEIGHT);
  const paint = ([x, y, w, h]: number[], v: number) => {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) data[yy * WIDTH + xx] = v;
  };
  rects.forEach((r) => paint(r, 1));
  holes.forEach((r) => paint(r, 0));
  return { width: WIDTH, height: HEIGHT, data };
}

function image(id: number, key: string, model: string, paint: string | null, lighting: string, view: string, azimuth: number, elevation: number) {
  const [, , , background, , sample] = key.split('/');
  return {
    id,
    file_name: `images/${key.replace(/\//g, '__')}.png`,
    width: WIDTH,
    height: HEIGHT,
    license: 1,
    dentfarm: {
      key,
      model: { id: model, make: 'dentfarm', model: model, body_style: 'sedan' },
      paint: paint ? { name: paint, hex: paint === 'white' ? '#ffffff' : '#000000', finish: 'solid' } : null,
      lighting,
      background,
      view,
      sample: Number(sample),
      camera: { azimuth_deg: azimuth, elevation_deg: elevation, frame: 'car' },
    },
  };
}

export interface Fixture {
  dir: string;
  configFile: string;
  coco: any;
}

/**
 * Writes the dataset into a fresh folder.
 *
 * Images (ids are grid positions + 1 of FIXTURE_CONFIG, except the SUV's,
 * whose own-paint key is not in that grid):
 *   1  sedan white clear    front  az 0   el 10  train
 *   3  sedan white overcast front  az 90  el 20  train
 *   6  sedan black clear    side   az 180 el 30  val
 *   20 suv   own   clear    side   az 270 el 45  train
 *
 * Annotations:
 *   1 img 1 dent        10x10 = 100 px     small   hood             vf 0.95
 *   2 img 1 scratch     40x30 = 1200 px    medium  door_front_left  vf 0.5
 *   3 img 3 dent        100x100 = 10000 px large   roof             vf 1
 *   4 img 3 dent        2x2, iscrowd 1 (ignore region)  hood
 *   5 img 6 crack       two 3x3 pieces = 18 px         front_bumper vf 0.25
 *   6 img 6 glass_shatter 7x7 with a 3x3 hole = 40 px  windshield   (no vf)
 *   7 img 20 wheel (part category 124) 5x5
 */
export async function writeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'dentfarm-fixture-'));
  const configFile = join(dir, 'scene.json');
  const configBytes = JSON.stringify(FIXTURE_CONFIG, null, 2);
  writeFileSync(configFile, configBytes);
  const images = [
    image(1, 'dentfarm-sedan/white/clear/street/front/0', 'dentfarm-sedan', 'white', 'clear', 'front', 0, 10),
    image(3, 'dentfarm-sedan/white/overcast/street/front/0', 'dentfarm-sedan', 'white', 'overcast', 'front', 90, 20),
    image(6, 'dentfarm-sedan/black/clear/street/side/0', 'dentfarm-sedan', 'black', 'clear', 'side', 180, 30),
    image(20, 'dentfarm-suv/own-paint/clear/street/side/0', 'dentfarm-suv', null, 'clear', 'side', 270, 45),
  ];
  const masks: [number, number, ReturnType<typeof rectMask>, number, Record<string, unknown>][] = [
    [1, 1, rectMask([[5, 5, 10, 10]]), 0, { part: 'hood', visible_fraction: 0.95 }],
    [1, 2, rectMask([[60, 50, 40, 30]]), 0, { part: 'door_front_left', visible_fraction: 0.5 }],
    [3, 1, rectMask([[10, 0, 100, 100]]), 0, { part: 'roof', visible_fraction: 1 }],
    [3, 1, rectMask([[0, 0, 2, 2]]), 1, { part: 'hood', visible_fraction: 1 }],
    [6, 3, rectMask([[10, 10, 3, 3], [20, 12, 3, 3]]), 0, { part: 'front_bumper', visible_fraction: 0.25 }],
    [6, 4, rectMask([[50, 40, 7, 7]], [[52, 42, 3, 3]]), 0, { part: 'windshield' }],
    [20, 124, rectMask([[30, 60, 5, 5]]), 0, { part: 'wheel_front_left' }],
  ];
  const areas = [100, 1200, 10000, 4, 18, 40, 25];
  const boxes = [[5, 5, 10, 10], [60, 50, 40, 30], [10, 0, 100, 100], [0, 0, 2, 2], [10, 10, 13, 5], [50, 40, 7, 7], [30, 60, 5, 5]];
  const annotations = masks.map(([imageId, category, mask, iscrowd, attributes], i) => ({
    id: i + 1,
    image_id: imageId,
    category_id: category,
    segmentation: encodeRleString(mask),
    area: areas[i],
    bbox: boxes[i],
    iscrowd,
    attributes,
  }));
  const categories = [
    { id: 1, name: 'dent', supercategory: 'body_damage' },
    { id: 2, name: 'scratch', supercategory: 'body_damage' },
    { id: 3, name: 'crack', supercategory: 'body_damage' },
    { id: 4, name: 'glass_shatter', supercategory: 'glass_damage' },
    { id: 5, name: 'lamp_broken', supercategory: 'lamp_damage' },
    { id: 6, name: 'tire_flat', supercategory: 'wheel_damage' },
    { id: 124, name: 'wheel', supercategory: 'part' },
  ];
  const info = { description: 'fixture', config_sha256: createHash('sha256').update(configBytes).digest('hex') };
  const coco = { info, licenses: [], images, annotations, categories };

  mkdirSync(join(dir, 'images'));
  for (const [i, im] of images.entries()) {
    const grey = 60 + 40 * i;
    await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: grey, g: grey, b: grey + 20 } } }).png().toFile(join(dir, im.file_name));
  }
  writeFileSync(join(dir, 'annotations.json'), JSON.stringify(coco));
  const split = (ids: number[]) => ({ ...coco, images: images.filter((im) => ids.includes(im.id)), annotations: annotations.filter((a) => ids.includes(a.image_id)) });
  writeFileSync(join(dir, 'annotations_train.json'), JSON.stringify(split([1, 3, 20])));
  writeFileSync(join(dir, 'annotations_val.json'), JSON.stringify(split([6])));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ jobs: 4, rendered: 4, shard: null }));
  return { dir, configFile, coco };
}
