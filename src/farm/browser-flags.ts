/**
 * Chromium command-line flags for a renderer worker. Headless Chromium
 * silently falls back to software GL when GPU flags are wrong, so the farm
 * checks the WebGL renderer string of every worker after start.
 */

/** Which GL backend the worker's Chromium uses. */
export type GlBackend = 'swiftshader' | 'egl' | 'vulkan';

export function browserFlags(gl: GlBackend, isRoot: boolean): string[] {
  const flags = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    '--mute-audio',
    '--ignore-gpu-blocklist',
    '--enable-webgl',
    '--disable-dev-shm-usage',
    // The crash handler detaches from the browser and would outlive the run.
    '--disable-breakpad',
    '--disable-crash-reporter',
  ];
  if (isRoot) flags.push('--no-sandbox');
  if (gl === 'swiftshader') {
    flags.push('--use-angle=swiftshader', '--enable-unsafe-swiftshader');
  } else if (gl === 'egl') {
    flags.push('--use-angle=gl-egl', '--enable-gpu', '--enable-gpu-rasterization');
  } else {
    flags.push('--use-angle=vulkan', '--enable-features=Vulkan', '--enable-gpu');
  }
  return flags;
}
