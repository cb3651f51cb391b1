/**
 * Turns one job's ID pass into COCO annotations: one mask per placed
 * damage, read from the pixels the camera saw, with area and box computed
 * from that mask. Damage with fewer visible pixels than the threshold is
 * dropped and counted.
 */
import type { PlacedDamage } from '../protocol';
import { categoryId } from './categories';
import { findUnknownIds, ID_KIND_DAMAGE, splitInstanceMasks, type IdImage } from './id-buffer';
import { maskArea, maskBbox, type Bbox, type InstanceMask } from './mask';
import { maskToPolygons, polygonsAreExact } from './polygon';
import { encodeRleString, type CompressedRle } from './rle';

export interface JobAnnotation {
  category_id: number;
  segmentation: CompressedRle | number[][];
  area: number;
  bbox: Bbox;
  iscrowd: 0;
  attributes: Record<string, string | number | number[]>;
}

export interface JobLabels {
  annotations: JobAnnotation[];
  /** Placed damage that showed fewer pixels than the threshold. */
  dropped: number;
}

export function annotateJob(
  id: IdImage,
  placed: readonly PlacedDamage[],
  partCount: number,
  options: { segmentation: 'rle' | 'polygon'; minVisiblePixels: number },
): JobLabels {
  const unknown = findUnknownIds(id, placed.length, partCount);
  if (unknown.count > 0) {
    const s = unknown.sample[0];
    throw new Error(
      `ID pass has ${unknown.count} pixels that map to no instance (first at ${s.x},${s.y}: kind ${s.b}, index ${s.index})`,
    );
  }
  const masks = splitInstanceMasks(id, ID_KIND_DAMAGE);
  const annotations: JobAnnotation[] = [];
  let dropped = 0;
  for (const damage of placed) {
    const mask = masks.get(damage.index);
    const area = mask ? maskArea(mask) : 0;
    if (!mask || area < options.minVisiblePixels) {
      dropped++;
      continue;
    }
    annotations.push({
      category_id: categoryId(damage.type),
      segmentation: segmentationOf(mask, options.segmentation),
      area,
      bbox: maskBbox(mask),
      iscrowd: 0,
      attributes: attributesOf(damage),
    });
  }
  return { annotations, dropped };
}

/** Polygons where they are exact (no holes), COCO RLE otherwise. */
function segmentationOf(mask: InstanceMask, kind: 'rle' | 'polygon'): CompressedRle | number[][] {
  if (kind === 'polygon' && polygonsAreExact(mask)) return maskToPolygons(mask);
  return encodeRleString(mask);
}

function attributesOf(damage: PlacedDamage): JobAnnotation['attributes'] {
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  const r = damage.request;
  const sizes: Record<string, number> =
    r.type === 'dent'
      ? { radius_cm: round(r.radiusM * 100, 2), depth_mm: round(r.depthM * 1000, 2) }
      : { length_mm: round(r.lengthM * 1000, 1), width_mm: round(r.widthM * 1000, 2) };
  return { part: damage.part, ...sizes, centre_world_m: damage.centre.map((v) => round(v, 4)) };
}
