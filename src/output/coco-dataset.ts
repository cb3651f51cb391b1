/**
 * Assembles the COCO file. Image ids are the jobs' grid positions + 1;
 * annotation ids are numbered here, in (image id, instance) order, so the
 * same jobs always give the same bytes whichever worker rendered them.
 */
import type { CocoCategory } from '../annotation/categories';
import type { JobAnnotation } from '../annotation/annotate-job';

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  license: number;
  [extra: string]: unknown;
}

export interface RenderedImage {
  image: CocoImage;
  annotations: JobAnnotation[];
}

export function buildCocoDataset(
  info: Record<string, unknown>,
  licenses: { id: number; name: string; url: string }[],
  rendered: Iterable<RenderedImage>,
  categories: readonly CocoCategory[],
): Record<string, unknown> {
  const sorted = [...rendered].sort((a, b) => a.image.id - b.image.id);
  const annotations: Record<string, unknown>[] = [];
  for (const { image, annotations: list } of sorted) {
    for (const a of list) {
      annotations.push({
        id: annotations.length + 1,
        image_id: image.id,
        category_id: a.category_id,
        segmentation: a.segmentation,
        area: a.area,
        bbox: a.bbox,
        iscrowd: a.iscrowd,
        attributes: a.attributes,
      });
    }
  }
  return {
    info,
    licenses,
    images: sorted.map((r) => r.image),
    annotations,
    categories,
  };
}
