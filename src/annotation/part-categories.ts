/**
 * COCO categories for car parts, written with `--parts`. Ids are fixed
 * (from 101, after the damage classes) so that datasets rendered apart,
 * from any mix of models, merge without renumbering. A model's own part
 * name that is not listed falls into the nearest generic part.
 */
import type { CocoCategory } from './categories';

const PART_NAMES = [
  'hood', 'roof', 'trunk', 'tailgate', 'front_bumper', 'rear_bumper',
  'fender_front_left', 'fender_front_right', 'fender_rear_left', 'fender_rear_right',
  'door_front_left', 'door_front_right', 'door_rear_left', 'door_rear_right',
  'pillar', 'mirror_left', 'mirror_right', 'windshield', 'rear_window', 'window',
  'headlamp', 'taillamp', 'grille', 'wheel', 'underbody', 'trim', 'interior', 'body', 'other',
];

export const PART_CATEGORIES: readonly CocoCategory[] = PART_NAMES.map((name, i) => ({
  id: 101 + i,
  name,
  supercategory: 'part',
}));

/** The part category a model's part name belongs to. */
export function partCategoryId(part: string): number {
  const exact = PART_CATEGORIES.find((c) => c.name === part);
  if (exact) return exact.id;
  const generic: [RegExp, string][] = [
    [/^pillar/, 'pillar'],
    [/^window|glass/, 'window'],
    [/head.?(lamp|light)/, 'headlamp'],
    [/tail.?(lamp|light)|stop.?light/, 'taillamp'],
    [/wheel|tyre|tire|rim/, 'wheel'],
    [/trim|plastic/, 'trim'],
  ];
  const match = generic.find(([re]) => re.test(part));
  return PART_CATEGORIES.find((c) => c.name === (match ? match[1] : 'other'))!.id;
}
