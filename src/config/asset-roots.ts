/**
 * Which folders a config may read files from. A config (perhaps written by
 * someone else) names models, environment maps and photos that dentfarm
 * serves to its renderer pages; each must lie, after following links, under
 * the config's own folder, the dentfarm project, or a folder the user allows
 * on the command line (`--asset-root`) or in `DENTFARM_ASSET_ROOTS`. The
 * config cannot widen this itself.
 */
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../errors';
import type { ModelEntry } from '../car/model-catalog';
import type { SceneConfig } from './scene-config';

/** The environment variable of extra asset roots, separated like PATH. */
export const ASSET_ROOTS_ENV = 'DENTFARM_ASSET_ROOTS';

/** The folders a run of `configFile` may read: its folder, the project, and the allowed extras. */
export function assetRoots(configFile: string, packageRoot: string, extra: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env[ASSET_ROOTS_ENV] ?? '').split(delimiter).filter(Boolean);
  return [dirname(configFile), packageRoot, ...extra, ...fromEnv].filter((d) => existsSync(d)).map((d) => realpathSync(resolve(d)));
}

function isUnder(file: string, root: string): boolean {
  const path = relative(root, file);
  return path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/**
 * Throws a ConfigError naming the first file of the run (model folder,
 * model file, environment map or photo) that lies outside every root.
 */
export function checkAssetPaths(config: SceneConfig, models: readonly ModelEntry[], roots: readonly string[]): void {
  const check = (file: string, where: string, pointer: string, value: string) => {
    const real = existsSync(file) ? realpathSync(file) : resolve(file);
    if (roots.some((root) => isUnder(real, root))) return;
    throw new ConfigError(
      where,
      pointer,
      "a file under the config's folder, the dentfarm project or an allowed asset root",
      real === resolve(file) ? JSON.stringify(value) : `${JSON.stringify(value)} (a link to ${real})`,
      `move it under ${dirname(config.file)}, or allow its folder with --asset-root ${dirname(real)} (or ${ASSET_ROOTS_ENV})`,
    );
  };
  config.modelDirs.forEach((dir, i) => check(dir, config.file, `/modelDirs/${i}`, dir));
  for (const model of models) if (model.file) check(model.file, model.entryFile, '/file', model.file);
  config.lighting.forEach((l, i) => {
    if (existsSync(l.environment)) check(l.environment, config.file, `/lighting/${i}/environment`, l.environment);
  });
  config.backgrounds.forEach((b, i) => {
    if (b.type === 'image') check(b.file, config.file, `/backgrounds/${i}/file`, b.file);
  });
}
