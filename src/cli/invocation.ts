/**
 * How the running dentfarm command was typed, so that a hint for the next
 * command reads the same way: `dentfarm` when it runs from the PATH (an
 * installed bin), else `node <path to bin/dentfarm.js>`, relative to the
 * current folder when it lies below it.
 */
import { basename, isAbsolute, relative } from 'node:path';

export function invocation(argv: readonly string[] = process.argv, cwd = process.cwd()): string {
  const script = argv[1] ?? '';
  if (basename(script) === 'dentfarm') return 'dentfarm';
  const path = shortPath(script, cwd);
  return `node ${path.includes(' ') ? JSON.stringify(path) : path}`;
}

/** `path` relative to `cwd` when it lies below it, else as it is. */
export function shortPath(path: string, cwd = process.cwd()): string {
  const below = relative(cwd, path);
  return below && !below.startsWith('..') && !isAbsolute(below) ? below : path;
}
