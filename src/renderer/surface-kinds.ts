/**
 * Which kind of surface each damage belongs on, as bits a mesh or material
 * can combine (a painted plastic bumper is both paint and plastic). The
 * damage field draws an entry only on materials that carry its bit, so a
 * dent next to a window never bends the glass.
 */
import type { DamageRequest } from '../protocol';

export const SURFACE_PAINT = 1;
export const SURFACE_PLASTIC = 2;
export const SURFACE_GLASS = 4;
export const SURFACE_LAMP = 8;
export const SURFACE_TYRE = 16;

const BY_DAMAGE: Record<DamageRequest['type'], number> = {
  dent: SURFACE_PAINT,
  scratch: SURFACE_PAINT,
  crack: SURFACE_PLASTIC,
  glass_shatter: SURFACE_GLASS,
  lamp_broken: SURFACE_LAMP,
  tire_flat: SURFACE_TYRE,
};

export function surfaceFor(type: DamageRequest['type']): number {
  return BY_DAMAGE[type];
}

/** Surface bits of a mesh from its part name and whether it carries the paint. */
export function surfaceBits(part: string, painted: boolean): number {
  let bits = painted ? SURFACE_PAINT : 0;
  if (/bumper|trim|grille|plastic/i.test(part)) bits |= SURFACE_PLASTIC;
  if (/glass|window|windshield|windscreen/i.test(part)) bits |= SURFACE_GLASS;
  if (/lamp|light/i.test(part)) bits |= SURFACE_LAMP;
  if (/wheel|tyre|tire/i.test(part)) bits |= SURFACE_TYRE;
  return bits;
}
