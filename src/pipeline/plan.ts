/**
 * `dentfarm plan`: what a config would render, without rendering it.
 */
import { loadScene } from './load-scene';
import { damageSizes } from '../annotation/annotate-job';
import { checkGridSize, expandGrid, gridAxes } from '../grid/expand-grid';

export function planText(configFile: string, packageRoot: string, first: number, extraRoots: readonly string[] = []): string {
  const { config, models } = loadScene(configFile, packageRoot, extraRoots);
  const axes = gridAxes(config);
  const lines = [
    `config: ${config.file}`,
    `seed: ${config.seed}`,
    `axes:`,
    `  models (${axes.models.length}): ${axes.models.join(', ')}`,
    `  paints (${axes.paints.length}): ${axes.paints.join(', ')}  (one cell for models that keep their own paint)`,
    `  lighting (${axes.lighting.length}): ${axes.lighting.join(', ')}`,
    `  backgrounds (${axes.backgrounds.length}): ${axes.backgrounds.join(', ')}`,
    `  views (${axes.views.length}): ${axes.views.join(', ')}`,
    `  samples per cell: ${axes.samples}`,
    `jobs: ${checkGridSize(config, models)}`,
    `image: ${config.image.width}x${config.image.height} ${config.image.format}`,
    `first ${first} jobs:`,
  ];
  let shown = 0;
  for (const job of expandGrid(config, models)) {
    if (shown++ >= first) break;
    const c = job.camera;
    const damage = job.damage.map(
      (d) => `${d.type} ${Object.entries(damageSizes(d)).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    );
    lines.push(
      `  #${job.index + 1} ${job.key} seed=${job.seed} camera az=${c.azimuthDeg.toFixed(1)} el=${c.elevationDeg.toFixed(1)} f=${c.focalLengthMm.toFixed(1)}mm damage=[${damage.join('; ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}
