import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskFromRle } from './coco-reference';
import { cocoAveragePrecision } from './coco-eval';
import { ROOT, runCli, tempDir } from './run-cli';

describe("the project's own default config", () => {
  it('renders procedural cars with named parts and no plates, needing nothing from ../shared', async () => {
    const out = tempDir();
    const run = await runCli(['render', join(ROOT, 'configs/default.json'), '--out', out, '--limit', '6', '--workers', '2', '--parts']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images).toHaveLength(6);
    for (const image of coco.images) {
      expect(image.dentfarm.model.id).toMatch(/^dentfarm-(sedan|hatchback|suv)$/);
      expect(image.dentfarm.plates_removed).toEqual(expect.arrayContaining(['license_plate_front', 'license_plate_rear']));
    }
    // Placement respects the part: no dent on glass, no shatter on a door.
    const partsOf: Record<string, RegExp> = {
      dent: /^(hood|roof|trunk|tailgate|front_bumper|rear_bumper|(fender|door)_(front|rear)_(left|right)|pillar_\w+|mirror_(left|right))$/,
      scratch: /^(hood|roof|trunk|tailgate|front_bumper|rear_bumper|(fender|door)_(front|rear)_(left|right)|pillar_\w+|mirror_(left|right))$/,
      crack: /^(front_bumper|rear_bumper|grille)$/,
      glass_shatter: /^(windshield|rear_window|window_\w+)$/,
      lamp_broken: /^(head|tail)lamp_(left|right)$/,
    };
    const names = new Map(coco.categories.map((c: any) => [c.id, c.name]));
    const damage = coco.annotations.filter((a: any) => a.category_id <= 6);
    const parts = coco.annotations.filter((a: any) => a.category_id > 100);
    for (const a of damage) expect(a.attributes.part).toMatch(partsOf[names.get(a.category_id) as string]);

    // With --parts, each damage lies on the mask of the part it names, largely:
    // a dent near a seam, or a long crease, may reach the panel beside it.
    expect(parts.length).toBeGreaterThan(20);
    for (const a of damage.filter((d: any) => d.iscrowd === 0)) {
      const part = parts.find((p: any) => p.image_id === a.image_id && p.attributes.part === a.attributes.part);
      expect(part, a.attributes.part).toBeDefined();
      const own = maskFromRle(a.segmentation.size, a.segmentation.counts);
      const surface = maskFromRle(part.segmentation.size, part.segmentation.counts);
      let inside = 0;
      for (let p = 0; p < own.length; p++) if (own[p] && surface[p]) inside++;
      expect(inside / a.area, a.attributes.part).toBeGreaterThan(0.3);
    }

    // Scored against itself by COCO's rules, the ground truth is perfect:
    // every mask decodes, none overlaps another, crowd regions are valid.
    const asDetections = coco.annotations.map((a: any) => ({ ...a, score: 1 }));
    expect(cocoAveragePrecision(coco.annotations, asDetections, 'segm')).toBeCloseTo(1, 12);
    expect(cocoAveragePrecision(coco.annotations, asDetections, 'bbox')).toBeCloseTo(1, 12);
  }, 600_000);
});
