/**
 * Picks a few items of a grid for a preview. A fixed stride aliases with
 * the grid's axes (every second job of a grid whose last axis has two
 * values is always the same value); the golden-ratio sequence has no
 * period, so a sample of any size meets every value of every axis.
 */

const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;

/**
 * `count` distinct indices in [0, total), in increasing order, spread over
 * the whole range: index floor(frac(1/2 + k * 0.618...) * total) for
 * k = 0, 1, ..., moving up to the next free index where one is taken.
 */
export function spreadIndices(total: number, count: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  const taken = new Uint8Array(total);
  const picked: number[] = [];
  for (let k = 0; picked.length < count; k++) {
    let index = Math.floor((((0.5 + k * GOLDEN_FRACTION) % 1) * total));
    while (taken[index]) index = (index + 1) % total;
    taken[index] = 1;
    picked.push(index);
  }
  return picked.sort((a, b) => a - b);
}
