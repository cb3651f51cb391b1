// Bundles the Node side (CLI and library) and the in-page renderer.
// The renderer is one self-contained script: the page loads nothing else.
import { build } from 'esbuild';

const common = { bundle: true, sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: {
      cli: 'src/cli/main.ts',
      index: 'src/index.ts',
    },
    outdir: 'dist',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: { renderer: 'src/renderer/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    sourcemap: false,
  }),
]);
