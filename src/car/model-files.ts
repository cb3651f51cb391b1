/**
 * The files a model is made of: the .glb or .gltf itself and the buffers
 * and images it refers to by relative URI. A change to any of them changes
 * the model's renders, and nothing else in its folder does, so these are
 * what a job's fingerprint hashes.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const GLB_HEADER_BYTES = 20;

export interface GltfReferences {
  buffers?: { uri?: string }[];
  images?: { uri?: string }[];
}

/** A URI with a scheme (http:, file:...), which names no file beside the model. */
export const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The URIs of a glTF document's buffers and images, embedded (data:) ones left out. */
export function referencedUris(doc: GltfReferences): string[] {
  return [...(doc.buffers ?? []), ...(doc.images ?? [])]
    .map((item) => item.uri)
    .filter((uri): uri is string => !!uri && !uri.startsWith('data:'));
}

/** `path` and the files it names, in the order the file names them. */
export function modelFiles(path: string): string[] {
  const json = path.toLowerCase().endsWith('.glb') ? glbJson(path) : readFileSync(path, 'utf8');
  let doc: GltfReferences;
  try {
    doc = JSON.parse(json ?? '{}');
  } catch {
    return [path];
  }
  const uris = referencedUris(doc).filter((uri) => !URL_SCHEME.test(uri));
  return [path, ...new Set(uris.map((uri) => resolve(dirname(path), decodeURIComponent(uri))))];
}

/** The JSON chunk of a GLB file, read without reading its binary chunk. */
function glbJson(path: string): string | null {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(GLB_HEADER_BYTES);
    if (readSync(fd, header, 0, GLB_HEADER_BYTES, 0) < GLB_HEADER_BYTES) return null;
    const json = Buffer.alloc(header.readUInt32LE(12));
    const read = readSync(fd, json, 0, json.length, GLB_HEADER_BYTES);
    return json.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
