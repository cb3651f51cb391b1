/**
 * Encodes a rendered colour buffer with sharp (PNG by default, JPEG or WebP
 * on request) and writes it atomically.
 */
import sharp from 'sharp';
import { writeAtomic } from './write-atomic';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const IMAGE_EXTENSIONS: Record<ImageFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp' };

/** `rgba` is width*height*4 bytes, row 0 at the top; alpha is dropped. */
export async function encodeImage(
  rgba: Uint8Array,
  width: number,
  height: number,
  format: ImageFormat,
  quality: number,
): Promise<Buffer> {
  const image = sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha();
  if (format === 'jpeg') return image.jpeg({ quality, mozjpeg: true }).toBuffer();
  if (format === 'webp') return image.webp({ quality }).toBuffer();
  return image.png({ compressionLevel: 6 }).toBuffer();
}

export async function writeImage(
  path: string,
  rgba: Uint8Array,
  width: number,
  height: number,
  format: ImageFormat,
  quality: number,
): Promise<void> {
  await writeAtomic(path, await encodeImage(rgba, width, height, format, quality));
}
