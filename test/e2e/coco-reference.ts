/**
 * A second, deliberately separate reading of COCO's compressed RLE, written
 * from pycocotools' maskApi.c (rleFrString, rleArea, rleToBbox), so the
 * end-to-end tests check the written files without trusting src/annotation.
 */
export function countsFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = 1;
    let c = 0;
    while (more) {
      c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

/** Column-major mask of an RLE, as pycocotools decodes it. */
export function maskFromRle(size: [number, number], countsText: string): Uint8Array {
  const [h, w] = size;
  const mask = new Uint8Array(h * w);
  let i = 0;
  let value = 0;
  for (const run of countsFromString(countsText)) {
    for (let j = 0; j < run; j++) mask[i++] = value;
    value = 1 - value;
  }
  if (i !== h * w) throw new Error(`RLE covers ${i} pixels, image has ${h * w}`);
  return mask;
}

export function areaAndBox(mask: Uint8Array, h: number, w: number): { area: number; bbox: number[] } {
  let area = 0;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      if (!mask[x * h + y]) continue;
      area++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return { area, bbox: area ? [x0, y0, x1 - x0 + 1, y1 - y0 + 1] : [0, 0, 0, 0] };
}
