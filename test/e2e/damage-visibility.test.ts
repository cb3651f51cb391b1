import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { maskFromRle } from './coco-reference';
import { ROOT, SHARED, runCli, tempDir, writeConfig } from './run-cli';

const hasShared = existsSync(join(SHARED, 'car-models'));

// The same grid twice, once without damage: keys, seeds, cameras and light
// are equal, so every pixel that changed was changed by the damage.
function config(damage: unknown) {
  return {
    name: 'twins',
    seed: 5,
    modelDirs: [join(ROOT, 'car-models/shared')],
    models: ['generic-sedan-2010', 'quaternius-suv'],
    paints: [{ name: 'blue', color: '#1d3a6e', finish: 'metallic' }],
    damage,
    lighting: [{ name: 'city', environment: join(SHARED, 'environments/potsdamer_platz_1k.env') }],
    views: [{ name: 'side', azimuthDeg: [60, 120], elevationDeg: [5, 15], fill: 0.95 }],
    samples: 2,
    image: { width: 480, height: 360 },
    annotations: { minVisiblePixels: 8 },
  };
}

describe.runIf(hasShared)('damage in the pixels', () => {
  it('changes the pixels its label covers, and few outside it', async () => {
    const damaged = tempDir();
    const clean = tempDir();
    const [a, b] = await Promise.all([
      runCli(['render', writeConfig(config({ dent: { count: 2, radiusCm: [8, 14], depthMm: [20, 35] }, scratch: { count: 1, widthMm: [15, 25] } })), '--out', damaged, '--workers', '1']),
      runCli(['render', writeConfig(config({})), '--out', clean, '--workers', '1']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(damaged, 'annotations.json'), 'utf8'));
    expect(readdirSync(join(clean, 'images')).sort()).toEqual(readdirSync(join(damaged, 'images')).sort());

    let labelled = 0;
    let labelledChanged = 0;
    let changed = 0;
    let changedInLabel = 0;
    for (const image of coco.images) {
      const [w, h] = [image.width, image.height];
      const before = await sharp(join(clean, image.file_name)).raw().toBuffer();
      const after = await sharp(join(damaged, image.file_name)).raw().toBuffer();
      const label = new Uint8Array(w * h);
      for (const ann of coco.annotations.filter((x: any) => x.image_id === image.id)) {
        const mask = maskFromRle(ann.segmentation.size, ann.segmentation.counts);
        for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) if (mask[x * h + y]) label[y * w + x] = 1;
      }
      for (let p = 0; p < w * h; p++) {
        const moved = Math.max(...[0, 1, 2].map((c) => Math.abs(before[3 * p + c] - after[3 * p + c]))) > 2;
        if (label[p]) {
          labelled++;
          if (moved) labelledChanged++;
        }
        if (moved) {
          changed++;
          if (label[p]) changedInLabel++;
        }
      }
    }
    expect(labelled).toBeGreaterThan(200);
    // A dent's rim bends the surface less than the label threshold, and
    // anti-aliased edges of thin scratches blend: most, not all.
    expect(labelledChanged / labelled).toBeGreaterThan(0.6);
    expect(changedInLabel / changed).toBeGreaterThan(0.5);
  }, 600_000);
});
