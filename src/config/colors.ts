/**
 * Paint colours: names of the colours cars are sold in, and sRGB hex, both
 * turned into the linear RGB the renderer shades with.
 */

/** sRGB hex of the named paint colours. */
export const NAMED_COLORS: Record<string, string> = {
  white: '#e9ebec',
  black: '#0b0c0e',
  grey: '#5d6166',
  gray: '#5d6166',
  silver: '#a8acb0',
  blue: '#1d3a6e',
  red: '#8e1b1b',
  green: '#24492f',
  beige: '#b5a27f',
  brown: '#4a3223',
  yellow: '#d9b420',
  orange: '#c8561a',
};

/** Parses "#rgb", "#rrggbb" or a colour name; returns null when it is neither. */
export function parseColor(text: string): { hex: string; linear: [number, number, number] } | null {
  const value = NAMED_COLORS[text.toLowerCase()] ?? text;
  let m = /^#([0-9a-f]{6})$/i.exec(value);
  if (!m) {
    const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
    if (!short) return null;
    m = [value, short.slice(1).map((c) => c + c).join('')] as unknown as RegExpExecArray;
  }
  const hex = `#${m[1].toLowerCase()}`;
  const channel = (i: number) => srgbToLinear(parseInt(m![1].slice(2 * i, 2 * i + 2), 16) / 255);
  return { hex, linear: [channel(0), channel(1), channel(2)] };
}

/** The sRGB transfer function, inverted (IEC 61966-2-1). */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}
