/**
 * Writes a file so that it is either absent or complete: the bytes go to a
 * temporary name in the same folder, are flushed, and are renamed over the
 * final name. A killed run never leaves a half-written file that looks
 * finished.
 */
import { rmSync } from 'node:fs';
import { open, rename, rm, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** Temporary files of the writes in progress in this process. */
const inProgress = new Set<string>();

export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  inProgress.add(temporary);
  try {
    await writeThenRename(temporary, path, bytes);
  } finally {
    inProgress.delete(temporary);
  }
}

/**
 * Removes the temporary files of the writes in progress, for a process about
 * to exit at once: what they would have become stays absent.
 */
export function abandonWrites(): void {
  for (const temporary of inProgress) rmSync(temporary, { force: true });
  inProgress.clear();
}

async function writeThenRename(temporary: string, path: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(temporary, 'w');
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // A full disk fails the write halfway: leave nothing of it behind.
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Error codes of a write the output's file system refused: no point trying the next job there. */
const OUTPUT_REFUSED = new Map([
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EFBIG', 'file too large for the file system or the process limit'],
  ['EROFS', 'read-only file system'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EIO', 'input/output error'],
]);

/** What the file system said, when `error` is a refused write; null for anything else. */
export function refusedWrite(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = code ? OUTPUT_REFUSED.get(code) : undefined;
  return reason ? `${reason} (${code})` : null;
}
