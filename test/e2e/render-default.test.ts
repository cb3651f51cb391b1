import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './run-cli';

describe("the project's own default config", () => {
  it('renders procedural cars with named parts and no plates, needing nothing from ../shared', async () => {
    const out = tempDir();
    const run = await runCli(['render', join(ROOT, 'configs/default.json'), '--out', out, '--limit', '6', '--workers', '2']);
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
    for (const a of coco.annotations) expect(a.attributes.part).toMatch(partsOf[names.get(a.category_id) as string]);
  }, 600_000);
});
