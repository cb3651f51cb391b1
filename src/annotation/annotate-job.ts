/**
 * Turns one job's ID pass into COCO annotations: one mask per placed
 * damage, read from the pixels the camera saw, with area and box computed
 * from that mask. Damage the camera does not see at all is dropped. Damage
 * with fewer visible pixels than the threshold is still in the image, so it
 * becomes an ignore region (`iscrowd: 1`, as COCO evaluation and most
 * trainers read it) rather than vanishing from the labels.
 */
import type { DamageRequest, PlacedDamage } from '../protocol';
import { categoryId } from './categories';
import { findUnknownIds, ID_KIND_DAMAGE, ID_KIND_PART, splitInstanceMasks, type IdImage } from './id-buffer';
import { partCategoryId } from './part-categories';
import { maskArea, maskBbox, type Bbox, type InstanceMask } from './mask';
import { maskToPolygons, polygonsAreExact } from './polygon';
import { encodeRleString, type CompressedRle } from './rle';

export interface JobAnnotation {
  category_id: number;
  segmentation: CompressedRle | number[][];
  area: number;
  bbox: Bbox;
  iscrowd: 0 | 1;
  attributes: Record<string, string | number | number[] | CompressedRle>;
}

export interface JobLabels {
  annotations: JobAnnotation[];
  /** Placed damage that no pixel shows. */
  hidden: number;
  /** Damage under the pixel threshold, written as ignore regions. */
  ignored: number;
  /** Damage under the pixel threshold, left out (annotations.small "drop"). */
  dropped: number;
  /** Damage whose pixels barely differ from the undamaged twin (also counted in ignored or dropped). */
  faint: number;
}

export function annotateJob(
  id: IdImage,
  placed: readonly PlacedDamage[],
  partCount: number,
  options: {
    segmentation: 'rle' | 'polygon';
    minVisiblePixels: number;
    small?: 'ignore' | 'drop';
    /**
     * Per pixel, 1 where the image differs visibly from its undamaged twin.
     * With it each label records `visible_change`, and a label under
     * `minVisibleChange` is treated like one under `minVisiblePixels`.
     */
    changed?: Uint8Array;
    minVisibleChange?: number;
    /**
     * The ID pass without damage and its part names: with it a label's
     * `part` is the part under most of its pixels (a long scratch may start
     * on one panel and run mostly over the next), not the one at its centre.
     */
    parts?: { id: IdImage; names: readonly string[] };
  },
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
  let hidden = 0;
  let ignored = 0;
  let dropped = 0;
  let faint = 0;
  for (const damage of placed) {
    const mask = masks.get(damage.index);
    if (!mask) {
      hidden++;
      continue;
    }
    const area = maskArea(mask);
    const change = options.changed ? visibleChange(mask, options.changed) : null;
    const tooFaint = change !== null && change < (options.minVisibleChange ?? 0);
    if (tooFaint) faint++;
    const tooSmall = area < options.minVisiblePixels || tooFaint;
    if (tooSmall && options.small === 'drop') {
      dropped++;
      continue;
    }
    if (tooSmall) ignored++;
    annotations.push({
      category_id: categoryId(damage.type),
      // COCO reads crowd regions from RLE only.
      segmentation: segmentationOf(mask, tooSmall ? 'rle' : options.segmentation),
      area,
      bbox: maskBbox(mask),
      iscrowd: tooSmall ? 1 : 0,
      attributes: {
        ...attributesOf(damage),
        ...(options.parts ? { part: partUnder(mask, options.parts.id, options.parts.names) ?? damage.part } : {}),
        ...amodalAttributes(damage, mask, area),
        ...(change === null ? {} : { visible_change: Number(change.toFixed(4)) }),
      },
    });
  }
  return { annotations, hidden, ignored, dropped, faint };
}

/**
 * The part most pixels of `mask` show in the part ID pass (lowest index on a
 * tie); null where none do, or where it is only a model's whole painted
 * shell or unnamed meshes ("body", "other"), which say less than the panel
 * region the damage's centre was placed on.
 */
function partUnder(mask: InstanceMask, id: IdImage, names: readonly string[]): string | null {
  const votes = new Map<number, number>();
  for (let p = 0; p < mask.data.length; p++) {
    if (!mask.data[p] || id.data[4 * p + 2] !== ID_KIND_PART) continue;
    const index = id.data[4 * p] + 256 * id.data[4 * p + 1];
    votes.set(index, (votes.get(index) ?? 0) + 1);
  }
  let best: [number, number] | null = null;
  for (const [index, n] of votes) if (!best || n > best[1] || (n === best[1] && index < best[0])) best = [index, n];
  const part = best ? names[best[0]] ?? 'other' : null;
  return part === 'body' || part === 'other' ? null : part;
}

/**
 * One annotation per car part the camera sees (each wheel, each window its
 * own instance), from the ID pass without damage so that no dent cuts a
 * hole in its panel.
 */
export function annotateParts(
  id: IdImage,
  parts: readonly string[],
  segmentation: 'rle' | 'polygon',
): JobAnnotation[] {
  return [...splitInstanceMasks(id, ID_KIND_PART)].map(([index, mask]) => ({
    category_id: partCategoryId(parts[index] ?? 'other'),
    segmentation: segmentationOf(mask, segmentation),
    area: maskArea(mask),
    bbox: maskBbox(mask),
    iscrowd: 0 as const,
    attributes: { part: parts[index] ?? 'other' },
  }));
}

/** Share of the mask's pixels that `changed` marks. */
function visibleChange(mask: InstanceMask, changed: Uint8Array): number {
  let area = 0;
  let moved = 0;
  for (let p = 0; p < mask.data.length; p++) {
    if (!mask.data[p]) continue;
    area++;
    moved += changed[p];
  }
  return area === 0 ? 0 : moved / area;
}

/** Polygons where they are exact (no holes), COCO RLE otherwise. */
function segmentationOf(mask: InstanceMask, kind: 'rle' | 'polygon'): CompressedRle | number[][] {
  if (kind === 'polygon' && polygonsAreExact(mask)) return maskToPolygons(mask);
  return encodeRleString(mask);
}

/**
 * Visible over unoccluded, uncropped pixels (1 when nothing hides any of
 * it), and the unoccluded mask inside the frame when the page sent it. The
 * wider render that sees past the frame rounds its edges slightly
 * differently, so a visible pixel it missed is added to it: whatever the
 * camera sees is by definition unoccluded.
 */
function amodalAttributes(damage: PlacedDamage, visible: InstanceMask, area: number): JobAnnotation['attributes'] {
  if (damage.amodalPixels === undefined) return {};
  const { width, height } = visible;
  let amodal: InstanceMask | null = null;
  let missed = 0;
  if (damage.amodalMask) {
    const bottomUp = Uint8Array.from(atob(damage.amodalMask), (c) => c.charCodeAt(0));
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      data.set(bottomUp.subarray((height - 1 - y) * width, (height - y) * width), y * width);
    }
    for (let p = 0; p < data.length; p++) {
      if (visible.data[p] && !data[p]) {
        data[p] = 1;
        missed++;
      }
    }
    amodal = { width, height, data };
  }
  const amodalArea = Math.max(damage.amodalPixels + missed, area);
  return {
    visible_fraction: Number((area / amodalArea).toFixed(4)),
    amodal_area: amodalArea,
    ...(amodal ? { amodal_segmentation: encodeRleString(amodal) } : {}),
  };
}

function attributesOf(damage: PlacedDamage): JobAnnotation['attributes'] {
  const layer: Record<string, string> = damage.request.type === 'scratch' ? { layer: damage.request.layer } : {};
  return { part: damage.part, ...damageSizes(damage.request), ...layer, centre_world_m: damage.centre.map((v) => round(v, 4)) };
}

/** The size of a damage in the units people measure it in. */
export function damageSizes(r: DamageRequest): Record<string, number> {
  const discArea = (radiusM: number) => round(Math.PI * radiusM * radiusM * 1e4, 1);
  switch (r.type) {
    case 'dent':
      return {
        radius_cm: round(r.radiusM * 100, 2),
        depth_mm: round(r.depthM * 1000, 2),
        area_cm2: round(discArea(r.radiusM) * r.elongation, 1),
        ...(r.elongation > 1 ? { crease_length_cm: round(r.radiusM * r.elongation * 200, 1) } : {}),
      };
    case 'scratch':
      return { length_mm: round(r.lengthM * 1000, 1), width_mm: round(r.widthM * 1000, 2) };
    case 'crack':
      return { length_mm: round(r.lengthM * 1000, 1), width_mm: round(r.widthM * 1000, 2) };
    case 'glass_shatter':
    case 'lamp_broken':
      return { radius_cm: round(r.radiusM * 100, 2), area_cm2: discArea(r.radiusM) };
    case 'tire_flat':
      return { deflation: round(r.deflation, 3) };
  }
}

function round(v: number, digits: number): number {
  return Number(v.toFixed(digits));
}
