import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { maskFromRle } from './coco-reference';
import { ROOT, SHARED, runCli, tempDir, writeConfig } from './run-cli';

const hasShared = existsSync(join(SHARED, 'car-models'));

// The same grid twice, once without damage: keys, seeds, cameras and light
// are equal, so every pixel that changed was changed by the damage.
function twinConfig(damage: unknown) {
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
  it('changes the pixels its label covers, and few outside it, measured against the undamaged twin', async () => {
    const out = tempDir();
    // Round dents only: a crease's long flat ends change little, which
    // `dentfarm validate` reports per dataset; here the thresholds are for bowls.
    const damage = { dent: { count: 2, radiusCm: [8, 14], depthMm: [20, 35], crease: 0 }, scratch: { count: 1, widthMm: [15, 25] } };
    const run = await runCli(['render', writeConfig(twinConfig(damage)), '--out', out, '--workers', '2', '--pairs']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(readdirSync(join(out, 'twins')).sort()).toEqual(readdirSync(join(out, 'images')).sort());

    // Computed here from the files, independently of `dentfarm validate`.
    let labelled = 0;
    let labelledChanged = 0;
    let changed = 0;
    let changedInLabel = 0;
    for (const image of coco.images) {
      const [w, h] = [image.width, image.height];
      const before = await sharp(join(out, image.dentfarm.twin_file_name)).raw().toBuffer();
      const after = await sharp(join(out, image.file_name)).raw().toBuffer();
      const label = new Uint8Array(w * h);
      for (const ann of coco.annotations.filter((x: any) => x.image_id === image.id)) {
        const mask = maskFromRle(ann.segmentation.size, ann.segmentation.counts);
        for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) if (mask[x * h + y]) label[y * w + x] = 1;
      }
      for (let p = 0; p < w * h; p++) {
        const moved = Math.max(...[0, 1, 2].map((c) => Math.abs(before[3 * p + c] - after[3 * p + c]))) > 3;
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
    // The flat bottom and the rim of a dent bend the surface too little to show.
    expect(labelledChanged / labelled).toBeGreaterThan(0.7);
    // Anti-aliased edges of a scratch blend into the pixels beside it.
    expect(changedInLabel / changed).toBeGreaterThan(0.9);

    const validate = await runCli(['validate', out]);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toContain('0 faults');
    expect(validate.stdout).toMatch(/^dent\s+\d+/m);
  }, 600_000);
});

describe.runIf(hasShared)('six damage classes', () => {
  it('each lands on its own kind of part and changes the pixels of its label', async () => {
    const out = tempDir();
    const all = { count: 1 };
    const config = {
      ...twinConfig({ dent: { count: 1, crease: 0 }, scratch: { count: 1, widthMm: [10, 20] }, crack: { count: 1, widthMm: [2, 4] }, glass_shatter: all, lamp_broken: all, tire_flat: all }),
      models: ['quaternius-sedan', 'generic-sedan-2010'],
      views: [
        { name: 'front', azimuthDeg: [25, 45], elevationDeg: [8, 16] },
        { name: 'rear', azimuthDeg: [205, 225], elevationDeg: [8, 16] },
      ],
      samples: 1,
    };
    const run = await runCli(['render', writeConfig(config), '--out', out, '--workers', '2', '--pairs']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    const names = new Map(coco.categories.map((c: any) => [c.id, c.name]));
    // One-mesh bodies get panel names from where the damage sits on the car.
    const panel = /^(hood|roof|trunk|front_bumper|rear_bumper|(fender|door)_(front|rear)_(left|right)|pillar_(left|right))$/;
    const partsOf: Record<string, RegExp> = {
      dent: panel,
      scratch: panel,
      crack: /^trim$/,
      glass_shatter: /^glass$/,
      lamp_broken: /^(head|tail)lamp$/,
      tire_flat: /^wheel$/,
    };
    const seen = new Set<string>();
    for (const a of coco.annotations) {
      const name = names.get(a.category_id) as string;
      seen.add(name);
      expect(a.attributes.part, name).toMatch(partsOf[name]);
    }
    expect([...seen].sort()).toEqual(Object.keys(partsOf).sort());

    const validate = await runCli(['validate', out]);
    expect(validate.code, validate.stdout).toBe(0);
    for (const line of validate.stdout.split('\n').filter((l) => /^[a-z_]+\s+\d+\s/.test(l))) {
      const [, , , precision, , instanceRecall] = line.trim().split(/\s+/).map(Number);
      expect(precision, line).toBeGreaterThanOrEqual(0.95);
      expect(instanceRecall, line).toBeGreaterThanOrEqual(0.95);
    }
  }, 600_000);
});
