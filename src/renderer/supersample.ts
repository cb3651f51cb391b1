/**
 * Supersampling: the page renders every pass `factor` times wider and
 * higher, and each output pixel is reduced from its factor x factor block of
 * samples. Colour is averaged in linear light (a box filter, the
 * anti-aliasing), IDs are chosen by rule, so the label of a pixel is decided
 * from the very samples its colour was averaged from.
 *
 * Label rule: a pixel belongs to a damage instance if any of its samples
 * does (the instance with the most samples, the lowest index on a tie),
 * because any damaged sample visibly changes the averaged colour; otherwise
 * it takes the id most of its samples have. Rows may run either way up;
 * blocks line up because the sample grid is an exact multiple.
 */
import { ID_KIND_DAMAGE } from '../annotation/id-buffer';

/** sRGB byte to linear light, and back, as the sRGB standard defines them. */
const TO_LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function linearToSrgbByte(linear: number): number {
  const c = Math.min(Math.max(linear, 0), 1);
  const s = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.round(255 * s);
}

/** Linear values halfway between neighbouring sRGB bytes: byte b covers [HALFWAY[b - 1], HALFWAY[b]). */
const HALFWAY = new Float64Array(255);
for (let b = 0; b < 255; b++) {
  const c = (b + 0.5) / 255;
  HALFWAY[b] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** {@link linearToSrgbByte} by binary search over the halfway points: same bytes, no powers. */
function toSrgbByte(linear: number): number {
  let lo = 0;
  let hi = 255;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (linear < HALFWAY[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Averages RGBA sRGB bytes over factor x factor blocks in linear light; alpha averages as is. */
export function downsampleColor(samples: Uint8Array, width: number, height: number, factor: number): Uint8Array {
  if (factor === 1) return samples;
  const wide = width * factor;
  const out = new Uint8Array(width * height * 4);
  const n = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let dy = 0; dy < factor; dy++) {
        let s = 4 * ((y * factor + dy) * wide + x * factor);
        for (let dx = 0; dx < factor; dx++, s += 4) {
          r += TO_LINEAR[samples[s]];
          g += TO_LINEAR[samples[s + 1]];
          b += TO_LINEAR[samples[s + 2]];
          a += samples[s + 3];
        }
      }
      const o = 4 * (y * width + x);
      out[o] = toSrgbByte(r / n);
      out[o + 1] = toSrgbByte(g / n);
      out[o + 2] = toSrgbByte(b / n);
      out[o + 3] = Math.round(a / n);
    }
  }
  return out;
}

/** Reduces RGBA-encoded ID samples (see id-pass) to one id per pixel by the label rule above. */
export function reduceIds(samples: Uint8Array, width: number, height: number, factor: number): Uint8Array {
  if (factor === 1) return samples;
  const wide = width * factor;
  const out = new Uint8Array(width * height * 4);
  const ids = new Uint32Array(factor * factor);
  const counts = new Uint16Array(factor * factor);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      const first = 4 * (y * factor * wide + x * factor);
      // Most pixels lie inside one object: all samples alike.
      let alike = true;
      for (let dy = 0; dy < factor && alike; dy++) {
        let s = 4 * ((y * factor + dy) * wide + x * factor);
        for (let dx = 0; dx < factor; dx++, s += 4) {
          if (samples[s] !== samples[first] || samples[s + 1] !== samples[first + 1] || samples[s + 2] !== samples[first + 2]) {
            alike = false;
            break;
          }
        }
      }
      if (alike) {
        out[o] = samples[first];
        out[o + 1] = samples[first + 1];
        out[o + 2] = samples[first + 2];
        out[o + 3] = 255;
        continue;
      }
      let distinct = 0;
      for (let dy = 0; dy < factor; dy++) {
        let s = 4 * ((y * factor + dy) * wide + x * factor);
        for (let dx = 0; dx < factor; dx++, s += 4) {
          const id = samples[s] | (samples[s + 1] << 8) | (samples[s + 2] << 16);
          let k = 0;
          while (k < distinct && ids[k] !== id) k++;
          if (k === distinct) {
            ids[distinct] = id;
            counts[distinct++] = 0;
          }
          counts[k]++;
        }
      }
      let best = -1;
      for (let k = 0; k < distinct; k++) {
        if (best < 0 || better(ids[k], counts[k], ids[best], counts[best])) best = k;
      }
      out[o] = ids[best] & 255;
      out[o + 1] = (ids[best] >> 8) & 255;
      out[o + 2] = ids[best] >> 16;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Whether id `a` with `ca` samples should label the pixel rather than `b` with `cb`. */
function better(a: number, ca: number, b: number, cb: number): boolean {
  const aDamage = a >> 16 === ID_KIND_DAMAGE;
  const bDamage = b >> 16 === ID_KIND_DAMAGE;
  if (aDamage !== bDamage) return aDamage;
  if (ca !== cb) return ca > cb;
  return a < b;
}
