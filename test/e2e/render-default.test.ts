import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './run-cli';

describe("the project's own default config", () => {
  it('renders procedural cars with named parts and no plates, needing nothing from ../shared', async () => {
    const out = tempDir();
    const run = await runCli(['render', join(ROOT, 'configs/default.json'), '--out', out, '--limit', '4', '--workers', '2']);
    expect(run.code, run.stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8'));
    expect(coco.images).toHaveLength(4);
    for (const image of coco.images) {
      expect(image.dentfarm.model.id).toMatch(/^dentfarm-(sedan|hatchback|suv)$/);
      expect(image.dentfarm.plates_removed).toEqual(expect.arrayContaining(['license_plate_front', 'license_plate_rear']));
    }
    const bodyParts = /^(hood|roof|trunk|tailgate|front_bumper|rear_bumper|(fender|door)_(front|rear)_(left|right)|pillar_\w+|mirror_(left|right))$/;
    for (const a of coco.annotations) expect(a.attributes.part).toMatch(bodyParts);
  }, 600_000);
});
