/**
 * Puts everything one run's pages may load on the asset server: the
 * renderer, each model's folder (or its generated GLB), environment maps
 * (built-in skies are generated on first request) and background images.
 * Returns the URLs a render request uses.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ModelEntry } from '../car/model-catalog';
import { proceduralCarGlb } from '../car/procedural-glb';
import type { SceneConfig } from '../config/scene-config';
import { renderSkyHdr, type SkyPreset } from '../scene/sky-environment';
import type { AssetServer } from './asset-server';

export const RENDERER_PAGE = '/renderer.html';

export interface RunUrls {
  model: Map<string, string>;
  environment: Map<string, string>;
  background: Map<string, string>;
}

/** `packageRoot` holds dist/renderer.js and scenes/. */
export function mountRunAssets(
  server: AssetServer,
  packageRoot: string,
  config: SceneConfig,
  models: readonly ModelEntry[],
): RunUrls {
  server.addFile(RENDERER_PAGE, readFileSync(join(packageRoot, 'scenes', 'renderer.html')));
  server.addFile('/renderer.js', readFileSync(join(packageRoot, 'dist', 'renderer.js')));
  const urls: RunUrls = { model: new Map(), environment: new Map(), background: new Map() };

  for (const model of models) {
    if (model.file) {
      server.addFolder(`/models/${model.id}`, dirname(model.file));
      urls.model.set(model.id, server.url(`/models/${model.id}/${encodeURIComponent(basename(model.file))}`));
    } else {
      const style = model.procedural!;
      let glb: Uint8Array | null = null;
      urls.model.set(model.id, server.addFile(`/models/${model.id}/car.glb`, async () => (glb ??= proceduralCarGlb(style))));
    }
  }

  const skies = JSON.parse(readFileSync(join(packageRoot, 'scenes', 'skies.json'), 'utf8')) as Record<string, SkyPreset>;
  config.lighting.forEach((lighting, i) => {
    const env = lighting.environment;
    if (urls.environment.has(env)) return;
    if (skies[env]) {
      let hdr: Uint8Array | null = null;
      urls.environment.set(env, server.addFile(`/env/builtin/${env.replace(':', '-')}.hdr`, async () => (hdr ??= renderSkyHdr(skies[env]))));
    } else {
      server.addFolder(`/env/${i}`, dirname(env));
      urls.environment.set(env, server.url(`/env/${i}/${encodeURIComponent(basename(env))}`));
    }
  });

  config.backgrounds.forEach((background, i) => {
    if (background.type !== 'image') return;
    server.addFolder(`/backgrounds/${i}`, dirname(background.file));
    urls.background.set(background.name, server.url(`/backgrounds/${i}/${encodeURIComponent(basename(background.file))}`));
  });
  return urls;
}
