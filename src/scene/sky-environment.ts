/**
 * Built-in environment maps, generated rather than shipped: a sky
 * gradient, a ground, a band of building silhouettes on the horizon (so
 * paint has something to reflect) and optional soft boxes, written as an
 * equirectangular Radiance HDR that the renderer loads like any other.
 */
import { Random } from '../grid/random';

export interface SkyPreset {
  zenith: [number, number, number];
  horizon: [number, number, number];
  ground: [number, number, number];
  skyline: { height: [number, number]; tone: [number, number]; windows: number } | null;
  softboxes: { azimuthDeg: number; elevationDeg: number; widthDeg: number; heightDeg: number; radiance: number }[];
}

const WIDTH = 512;
const HEIGHT = 256;

/** Renders `preset` into the bytes of an uncompressed RGBE .hdr file. */
export function renderSkyHdr(preset: SkyPreset): Uint8Array {
  const skyline = skylineProfile(preset);
  const header = new TextEncoder().encode(
    `#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y ${HEIGHT} +X ${WIDTH}\n`,
  );
  const out = new Uint8Array(header.length + WIDTH * HEIGHT * 4);
  out.set(header);
  let o = header.length;
  for (let y = 0; y < HEIGHT; y++) {
    const elevation = 90 - ((y + 0.5) / HEIGHT) * 180;
    for (let x = 0; x < WIDTH; x++) {
      const azimuth = ((x + 0.5) / WIDTH) * 360;
      const rgb = radiance(preset, skyline, azimuth, elevation, x);
      writeRgbe(out, o, rgb);
      o += 4;
    }
  }
  // A scanline starting with bytes 2,2 would read as run-length encoded.
  if (out[header.length] === 2 && out[header.length + 1] === 2) out[header.length + 1] = 3;
  return out;
}

function radiance(
  p: SkyPreset,
  skyline: { height: number; tone: number; lit: boolean }[] | null,
  azimuth: number,
  elevation: number,
  column: number,
): [number, number, number] {
  for (const box of p.softboxes) {
    const da = Math.abs(((azimuth - box.azimuthDeg + 540) % 360) - 180);
    if (da < box.widthDeg / 2 && Math.abs(elevation - box.elevationDeg) < box.heightDeg / 2) {
      return [box.radiance, box.radiance, box.radiance];
    }
  }
  if (elevation < 0) {
    const fade = Math.min(1, -elevation / 12);
    return mix(p.horizon.map((c) => c * 0.35) as [number, number, number], p.ground, fade);
  }
  if (skyline) {
    const b = skyline[column];
    if (elevation < b.height) {
      const v = b.tone * (b.lit && Math.floor(elevation * 3) % 2 === 0 ? 2.2 : 1);
      return [v, v * 0.98, v * 0.95];
    }
  }
  const t = Math.pow(Math.sin((elevation * Math.PI) / 180), 0.6);
  return mix(p.horizon, p.zenith, t);
}

/** Deterministic building blocks along the horizon, one height per column. */
function skylineProfile(p: SkyPreset): { height: number; tone: number; lit: boolean }[] | null {
  if (!p.skyline) return null;
  const random = new Random(0x5eed);
  const columns: { height: number; tone: number; lit: boolean }[] = [];
  while (columns.length < WIDTH) {
    const width = random.int(6, 28);
    const block = {
      height: random.uniform(p.skyline.height[0], p.skyline.height[1]),
      tone: random.uniform(p.skyline.tone[0], p.skyline.tone[1]),
      lit: random.next() < p.skyline.windows,
    };
    for (let i = 0; i < width && columns.length < WIDTH; i++) columns.push(block);
  }
  return columns;
}

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * t) as [number, number, number];
}

/** Shared-exponent encoding of the Radiance format (Ward, Graphics Gems II). */
function writeRgbe(out: Uint8Array, o: number, [r, g, b]: [number, number, number]): void {
  const m = Math.max(r, g, b);
  if (m < 1e-32) {
    out.set([0, 0, 0, 0], o);
    return;
  }
  const e = Math.ceil(Math.log2(m + 1e-12) + 1e-9);
  const scale = 256 / Math.pow(2, e);
  out[o] = Math.min(255, Math.floor(r * scale));
  out[o + 1] = Math.min(255, Math.floor(g * scale));
  out[o + 2] = Math.min(255, Math.floor(b * scale));
  out[o + 3] = e + 128;
}
