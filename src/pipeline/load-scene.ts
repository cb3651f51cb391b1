/**
 * A config and its models, ready for a run: the config loaded and checked,
 * its models picked from the catalogue, and every file they name checked
 * to lie under the asset roots the run allows (see config/asset-roots.ts).
 */
import { join } from 'node:path';
import { loadCatalog, selectModels, type ModelEntry } from '../car/model-catalog';
import { assetRoots, checkAssetPaths } from '../config/asset-roots';
import { loadConfig } from '../config/load-config';
import type { SceneConfig } from '../config/scene-config';

export function loadScene(configFile: string, packageRoot: string, extraRoots: readonly string[] = []): { config: SceneConfig; models: ModelEntry[] } {
  const config = loadConfig(configFile, [join(packageRoot, 'car-models')]);
  const models = selectModels(loadCatalog(config.modelDirs), config.models, config.file);
  checkAssetPaths(config, models, assetRoots(config.file, packageRoot, extraRoots, process.env));
  return { config, models };
}
