/**
 * COCO categories. The six classes, in this order, are those of the public
 * car-damage benchmarks (CarDD), so a dentfarm dataset is a drop-in for them.
 */
export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
}

export const CATEGORIES: readonly CocoCategory[] = [
  { id: 1, name: 'dent', supercategory: 'body_damage' },
  { id: 2, name: 'scratch', supercategory: 'body_damage' },
  { id: 3, name: 'crack', supercategory: 'body_damage' },
  { id: 4, name: 'glass_shatter', supercategory: 'glass_damage' },
  { id: 5, name: 'lamp_broken', supercategory: 'lamp_damage' },
  { id: 6, name: 'tire_flat', supercategory: 'wheel_damage' },
];

export function categoryId(name: string): number {
  const category = CATEGORIES.find((c) => c.name === name);
  if (!category) throw new Error(`unknown damage category ${name}`);
  return category.id;
}
