/**
 * Where the undamaged twin must be drawn for the visibility check: around
 * each damage's pixels in the ID pass, which is every pixel a label can
 * cover. One rectangle per damage, grown by a margin, those that meet
 * joined; the rest stay apart, since the twin of damage spread over the
 * car would otherwise cover most of it.
 */
import { ID_KIND_DAMAGE } from '../annotation/id-buffer';
import type { PixelRect } from '../protocol';
import { clipRect } from './damage-bounds';

/** Most rectangles the twin is drawn in: each costs a pass over the scene's geometry. */
export const MAX_TWIN_RECTS = 4;

function union(a: PixelRect, b: PixelRect): PixelRect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function meet(a: PixelRect, b: PixelRect): boolean {
  return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
}

/**
 * Rectangles (rows as in `id`) that together hold every damage pixel of the
 * width x height ID pass `id` (RGBA, B = kind, R + 256 G = index) and
 * `margin` pixels round each, inside the image; none when no damage shows.
 * Rectangles that meet are joined, and the two whose union grows least
 * while there are more than MAX_TWIN_RECTS.
 */
export function twinRects(id: Uint8Array, width: number, height: number, margin: number): PixelRect[] {
  const boxes = new Map<number, { x0: number; y0: number; x1: number; y1: number }>();
  for (let y = 0; y < height; y++) {
    for (let x = 0, p = 4 * y * width; x < width; x++, p += 4) {
      if (id[p + 2] !== ID_KIND_DAMAGE) continue;
      const index = id[p] + 256 * id[p + 1];
      const box = boxes.get(index);
      if (!box) boxes.set(index, { x0: x, y0: y, x1: x, y1: y });
      else {
        box.x0 = Math.min(box.x0, x);
        box.x1 = Math.max(box.x1, x);
        box.y1 = y;
      }
    }
  }
  let rects = [...boxes.values()].map((b) =>
    clipRect({ x: b.x0 - margin, y: b.y0 - margin, width: b.x1 - b.x0 + 1 + 2 * margin, height: b.y1 - b.y0 + 1 + 2 * margin }, width, height),
  );

  for (let joined = true; joined; ) {
    joined = false;
    for (let i = 0; i < rects.length && !joined; i++) {
      for (let j = i + 1; j < rects.length && !joined; j++) {
        if (!meet(rects[i], rects[j])) continue;
        rects = [...rects.filter((_, k) => k !== i && k !== j), union(rects[i], rects[j])];
        joined = true;
      }
    }
  }
  while (rects.length > MAX_TWIN_RECTS) {
    let best: [number, number, number] | null = null;
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const u = union(rects[i], rects[j]);
        const growth = u.width * u.height - rects[i].width * rects[i].height - rects[j].width * rects[j].height;
        if (!best || growth < best[2]) best = [i, j, growth];
      }
    }
    const [i, j] = best!;
    rects = [...rects.filter((_, k) => k !== i && k !== j), union(rects[i], rects[j])];
  }
  return rects.sort((a, b) => a.y - b.y || a.x - b.x);
}
