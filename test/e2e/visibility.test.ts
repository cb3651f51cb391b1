import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskFromRle } from './coco-reference';
import { ROOT, SHARED, runCli, tempDir, writeConfig } from './run-cli';

const hasShared = existsSync(join(SHARED, 'car-models'));

describe.runIf(hasShared)('visible fraction', () => {
  it('counts what the frame cuts and what other parts hide against an unoccluded, uncropped render', async () => {
    const config = writeConfig({
      name: 'close-ups',
      seed: 4,
      modelDirs: [join(ROOT, 'car-models/shared')],
      models: ['quaternius-sedan', 'generic-sedan-2010'],
      paints: ['red'],
      damage: { dent: { count: 3, radiusCm: [12, 20], depthMm: [15, 30] }, scratch: { count: 2, lengthCm: [40, 60], widthMm: [10, 20] } },
      lighting: [{ environment: join(SHARED, 'environments/potsdamer_platz_1k.env') }],
      views: [{ name: 'close', azimuthDeg: [60, 120], elevationDeg: [5, 15], distanceM: [1.6, 2.0], focalLengthMm: 50, targetHeightM: 0.7 }],
      samples: 2,
      image: { width: 320, height: 240 },
    });
    const out = tempDir();
    const run = await runCli(['render', config, '--out', out, '--workers', '2', '--amodal']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    const cut: number[] = [];
    for (const a of coco.annotations) {
      const { visible_fraction: fraction, amodal_area: amodal } = a.attributes;
      expect(amodal).toBeGreaterThanOrEqual(a.area);
      expect(fraction).toBeCloseTo(a.area / amodal, 4);
      const [x, y, w, h] = a.bbox;
      if (x === 0 || y === 0 || x + w === 320 || y + h === 240) cut.push(fraction);
      // The unoccluded mask holds every visible pixel and no more than the
      // uncropped count.
      const seen = maskFromRle(a.segmentation.size, a.segmentation.counts);
      const whole = maskFromRle(a.attributes.amodal_segmentation.size, a.attributes.amodal_segmentation.counts);
      let inFrame = 0;
      for (let p = 0; p < whole.length; p++) {
        if (seen[p]) expect(whole[p]).toBe(1);
        inFrame += whole[p];
      }
      expect(inFrame).toBeLessThanOrEqual(amodal);
    }
    // Close-ups cut damage at the border; the uncropped render sees the rest.
    expect(cut.length).toBeGreaterThan(2);
    expect(Math.min(...cut)).toBeLessThan(0.9);
  }, 600_000);
});
