/**
 * `dentfarm preview DIR`: one image of a grid of samples from a dataset,
 * each with its damage outlined in its class colour and named, so a person
 * can judge looks and labels at a glance. Part masks (ids from 101) are not
 * drawn. Images are spread over the dataset (see grid/spread.ts), in listed order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { decodeRle, type RleInput } from '../annotation/rle';
import { rasterizePolygons } from '../annotation/polygon';
import type { InstanceMask } from '../annotation/mask';
import { writeAtomic } from './write-atomic';
import { spreadIndices } from '../grid/spread';

export interface ContactSheetOptions {
  /** Images on the sheet at most. */
  count: number;
  columns: number;
  /** Width of one tile in pixels; height follows the images' aspect. */
  tileWidth: number;
}

/** Outline colour per damage category id, told apart on paint, glass and tyres. */
const CLASS_COLOURS: Record<number, [number, number, number]> = {
  1: [255, 214, 0],
  2: [0, 229, 255],
  3: [255, 64, 200],
  4: [64, 255, 96],
  5: [255, 128, 0],
  6: [255, 255, 255],
};

export interface ContactSheetSummary {
  file: string;
  images: number;
  outlines: number;
}

export async function writeContactSheet(dir: string, out: string, options: ContactSheetOptions): Promise<ContactSheetSummary> {
  const coco = JSON.parse(readFileSync(join(dir, 'annotations.json'), 'utf8'));
  const names = new Map<number, string>(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name]));
  const all: any[] = coco.images;
  const count = Math.min(options.count, all.length);
  if (count === 0) throw new Error(`${dir}: the dataset lists no images`);
  const picked = spreadIndices(all.length, count).map((i) => all[i]);
  const byImage = new Map<number, any[]>();
  for (const a of coco.annotations) {
    if (a.category_id > 100) continue;
    byImage.set(a.image_id, [...(byImage.get(a.image_id) ?? []), a]);
  }

  const tileW = options.tileWidth;
  const tileH = Math.round((tileW * picked[0].height) / picked[0].width);
  const tiles: OverlayOptions[] = [];
  let outlines = 0;
  for (const [i, image] of picked.entries()) {
    const { data, info } = await sharp(join(dir, image.file_name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const labels: string[] = [];
    const scale = tileW / info.width;
    for (const a of byImage.get(image.id) ?? []) {
      const mask = maskOf(a, info.width, info.height);
      const colour = CLASS_COLOURS[a.category_id] ?? [255, 0, 0];
      // Thick enough to survive the reduction to a tile.
      drawOutline(data, info.width, info.height, mask, colour, Math.max(1, Math.round(1 / scale)));
      outlines++;
      const [x, y] = a.bbox;
      const name = `${names.get(a.category_id) ?? a.category_id}${a.iscrowd ? ' (ignore)' : ''}`;
      labels.push(label(x * scale, Math.max(10, y * scale - 2), name, colour));
    }
    const caption = `${image.dentfarm?.model?.id ?? ''} ${image.dentfarm?.view ?? ''}`.trim();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${tileW}" height="${tileH}">${labels.join('')}${label(4, tileH - 5, caption, [230, 230, 230])}</svg>`;
    const tile = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .resize(tileW, tileH, { fit: 'fill' })
      .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
      .png()
      .toBuffer();
    tiles.push({ input: tile, left: (i % options.columns) * tileW, top: Math.floor(i / options.columns) * tileH });
  }
  const rows = Math.ceil(picked.length / options.columns);
  const png = await sharp({ create: { width: tileW * Math.min(options.columns, picked.length), height: tileH * rows, channels: 3, background: '#101010' } })
    .composite(tiles)
    .png()
    .toBuffer();
  await writeAtomic(out, png);
  return { file: out, images: picked.length, outlines };
}

function maskOf(a: any, width: number, height: number): InstanceMask {
  return Array.isArray(a.segmentation) ? rasterizePolygons(a.segmentation, width, height) : decodeRle(a.segmentation as RleInput);
}

/** Paints the mask's boundary pixels, grown by `thickness - 1`, in `colour`. */
function drawOutline(rgb: Buffer, width: number, height: number, mask: InstanceMask, colour: number[], thickness: number): void {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask.data[y * width + x] === 1;
  const r = thickness - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!inside(x, y) || (inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1))) continue;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const px = x + dx;
          const py = y + dy;
          if (px < 0 || py < 0 || px >= width || py >= height) continue;
          rgb.set(colour, 3 * (py * width + px));
        }
      }
    }
  }
}

function label(x: number, y: number, text: string, colour: number[]): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const fill = `rgb(${colour.join(',')})`;
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="${fill}" stroke="black" stroke-width="2.5" paint-order="stroke">${escaped}</text>`;
}
