/**
 * Camera-like degradations applied to a finished image, drawn per job so a
 * detector sees the spread of real photos: Gaussian blur (focus, shake) and
 * sensor noise. They change colours only, never geometry, so the labels
 * stay aligned pixel for pixel. The noise comes from the job's seed: the
 * same job gives the same grain, and an undamaged twin gets the very same
 * grain as its image.
 */
import sharp from 'sharp';
import { Random } from '../grid/random';

export interface Augmentation {
  /** Gaussian blur sigma in pixels; under 0.3 means none. */
  blur: number;
  /** Standard deviation of the per-channel noise, in 8-bit levels. */
  noise: number;
  /** JPEG/WebP quality of this image. */
  quality: number;
}

/** Smallest blur sharp accepts; below it the image is left sharp. */
const MIN_BLUR_SIGMA = 0.3;

/** RGBA bytes, row 0 at the top, degraded as `a` says; the input is not changed. */
export async function augmentImage(rgba: Uint8Array, width: number, height: number, a: Augmentation, seed: number): Promise<Uint8Array> {
  let pixels = rgba;
  if (a.blur >= MIN_BLUR_SIGMA) {
    // sharp's default kernel stops at a fifth of its peak, which blurs less than the sigma says.
    pixels = new Uint8Array(await sharp(rgba, { raw: { width, height, channels: 4 } }).blur({ sigma: a.blur, minAmplitude: 0.001 }).raw().toBuffer());
  }
  if (a.noise > 0) {
    pixels = pixels === rgba ? Uint8Array.from(rgba) : pixels;
    addNoise(pixels, a.noise, new Random(seed).fork('sensor-noise'));
  }
  return pixels;
}

/** Adds zero-mean Gaussian noise of `sigma` levels to R, G and B, clamped to bytes. */
function addNoise(rgba: Uint8Array, sigma: number, random: Random): void {
  // Box-Muller: each pair of uniform draws gives two independent normals.
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
    const angle = 2 * Math.PI * random.next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  for (let p = 0; p < rgba.length; p += 4) {
    for (let c = 0; c < 3; c++) rgba[p + c] = clampByte(rgba[p + c] + sigma * normal());
  }
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
