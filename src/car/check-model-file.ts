/**
 * A quick look at a model file before any browser loads it, so an empty,
 * truncated or corrupt file fails its jobs at once, with the file's path
 * and what is wrong, instead of as a loader error deep in a page.
 */
import { existsSync, openSync, readSync, closeSync, statSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { referencedUris, URL_SCHEME, type GltfReferences } from './model-files';

const GLB_MAGIC = 0x46546c67;
/**
 * The largest model file a renderer page is given. A page holds the file,
 * its parsed buffers and their GPU copies at once; a car of several hundred
 * MiB is already far beyond what a training image needs.
 */
export const MAX_MODEL_BYTES = 1024 ** 3;
const MIB = 1024 ** 2;
const CHUNK_JSON = 0x4e4f534a;

/** Returns null when the file looks loadable, or the problem in a few words. */
export function checkModelFile(path: string): string | null {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 'the file does not exist';
  }
  if (size === 0) return 'the file is empty';
  if (size > MAX_MODEL_BYTES) {
    return `the file has ${Math.round(size / MIB)} MiB, over the ${MAX_MODEL_BYTES / MIB} MiB a renderer page loads; reduce it (fewer triangles, smaller or compressed textures)`;
  }
  return path.toLowerCase().endsWith('.glb') ? checkGlb(path, size) : checkGltf(path);
}

function checkGlb(path: string, size: number): string | null {
  if (size < 20) return `the file has ${size} bytes, fewer than a GLB header and chunk header (20)`;
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32LE(0) !== GLB_MAGIC) return 'not a GLB file (it does not start with "glTF")';
  const version = header.readUInt32LE(4);
  if (version !== 2) return `GLB version ${version}; only glTF 2.0 is supported`;
  const declared = header.readUInt32LE(8);
  if (declared > size) return `truncated: the header declares ${declared} bytes, the file has ${size}`;
  if (header.readUInt32LE(16) !== CHUNK_JSON) return 'corrupt: the first chunk is not the JSON chunk';
  return null;
}

function checkGltf(path: string): string | null {
  let doc: GltfReferences;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return `not valid glTF JSON (${(error as Error).message.split('\n')[0]})`;
  }
  for (const uri of referencedUris(doc)) {
    // Pages reach only the model's own folder: a URL scheme or a path that climbs out is refused here.
    const target = URL_SCHEME.test(uri) ? null : resolve(dirname(path), decodeURIComponent(uri));
    if (!target || relative(dirname(path), target).startsWith('..') || isAbsolute(relative(dirname(path), target))) {
      return `it refers to ${uri}, outside its own folder; a model may refer only to files in its folder or below it`;
    }
    if (!existsSync(target)) return `it refers to ${uri}, which does not exist`;
  }
  return null;
}
