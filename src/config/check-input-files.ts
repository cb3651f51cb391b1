/**
 * Reads the start of each environment map and decodes the header of each
 * backplate before any browser starts, so a corrupt file is one config
 * error naming it rather than a job that hangs or a render over Babylon's
 * missing-texture checkerboard.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import sharp from 'sharp';
import { ConfigError } from '../errors';
import type { SceneConfig } from './scene-config';

/** The first bytes of a Babylon.js .env file. */
const ENV_MAGIC = [0x86, 0x16, 0x87, 0x96, 0xf6, 0xd6, 0x96, 0x36];

function head(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** What is wrong with an environment map file, or null when it starts as its kind must. */
export function environmentFileProblem(file: string): string | null {
  const start = head(file, 16);
  if (/\.env$/i.test(file)) {
    return ENV_MAGIC.every((b, i) => start[i] === b) ? null : 'not a Babylon.js .env file (its first bytes are not the .env signature)';
  }
  // Radiance HDR files open with "#?RADIANCE" or "#?RGBE".
  return start.subarray(0, 2).toString('latin1') === '#?' ? null : 'not a Radiance .hdr file (it does not start with "#?")';
}

/** Throws a ConfigError for the first environment map or backplate that cannot be read. */
export async function checkInputFiles(config: SceneConfig): Promise<void> {
  for (const [i, l] of config.lighting.entries()) {
    if (l.environment.includes(':') || l.environment === 'studio') continue;
    const problem = environmentFileProblem(l.environment);
    if (problem) throw new ConfigError(config.file, `/lighting/${i}/environment`, 'a readable .env or .hdr environment map', `${l.environment}: ${problem}`, 'convert the map again, or point at another one');
  }
  for (const [i, b] of config.backgrounds.entries()) {
    if (b.type !== 'image') continue;
    try {
      const meta = await sharp(b.file).metadata();
      if (!meta.width || !meta.height) throw new Error('no image size in it');
    } catch (error) {
      throw new ConfigError(config.file, `/backgrounds/${i}/file`, 'a readable PNG, JPEG or WebP photo', `${b.file}: ${(error as Error).message.split('\n')[0]}`, 'save the photo again, or point at another one');
    }
  }
}
