/**
 * Which pixels a damage visibly changed: an image against its undamaged
 * twin, a pixel counting as changed when any colour channel moved by more
 * than a few levels (8-bit). Used to gate faint labels and, by `validate`,
 * to measure how well labels match the pixels.
 */

/** Levels of 255 a channel must move by to count as a visible change. */
export const VISIBLE_CHANGE_LEVELS = 3;

/** 1 per changed pixel of two interleaved images with `channels` bytes per pixel (the first three compared). */
export function changedPixels(
  after: Uint8Array,
  before: Uint8Array,
  channels: number,
  threshold = VISIBLE_CHANGE_LEVELS,
): Uint8Array {
  const pixels = after.length / channels;
  if (before.length !== after.length) throw new Error(`images differ in size: ${after.length} and ${before.length} bytes`);
  const changed = new Uint8Array(pixels);
  for (let p = 0, o = 0; p < pixels; p++, o += channels) {
    if (
      Math.abs(after[o] - before[o]) > threshold ||
      Math.abs(after[o + 1] - before[o + 1]) > threshold ||
      Math.abs(after[o + 2] - before[o + 2]) > threshold
    ) {
      changed[p] = 1;
    }
  }
  return changed;
}
