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
  /** Share of the sky covered by cloud, 0 to 1, and the cloud colour. */
  clouds: { cover: number; color: [number, number, number] } | null;
  skyline: { height: [number, number]; tone: [number, number]; windows: number } | null;
  softboxes: { azimuthDeg: number; elevationDeg: number; widthDeg: number; heightDeg: number; radiance: number }[];
}

const WIDTH = 1024;
const HEIGHT = 512;

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
  skyline: Building[] | null,
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
  const az = (azimuth * Math.PI) / 180;
  if (elevation < 0) {
    // Ground seen from 1.5 m: grain that fades into haze towards the horizon.
    const fade = Math.min(1, -elevation / 10);
    const grain = 0.85 + 0.3 * fbm(Math.cos(az) * 40 / Math.max(0.02, -elevation / 30), Math.sin(az) * 40, 3);
    const ground = p.ground.map((c) => c * grain);
    return mix(p.horizon.map((c) => c * 0.45), ground, fade);
  }
  if (skyline) {
    const b = skyline[column];
    if (elevation < b.height) {
      let tone = b.tone;
      if (b.windows && Math.floor(elevation * 4) % 2 === 0 && Math.floor(column / 3) % 2 === 0) tone *= 1.9;
      const haze = 0.35 * (1 - elevation / Math.max(b.height, 1e-3)) + 0.2;
      return mix([tone, tone * 0.98, tone * 0.95], p.horizon, haze);
    }
  }
  const t = Math.pow(Math.sin((elevation * Math.PI) / 180), 0.55);
  let sky = mix(p.horizon, p.zenith, t);
  if (p.clouds && elevation > 1) {
    // Clouds on a flat layer overhead: denser and smaller towards the horizon.
    const d = 1 / Math.tan((Math.max(elevation, 1) * Math.PI) / 180);
    const n = fbm(Math.cos(az) * d * 3 + 11, Math.sin(az) * d * 3 + 7, 5);
    const cover = smoothstep(1 - p.clouds.cover - 0.15, 1 - p.clouds.cover + 0.25, n);
    sky = mix(sky, p.clouds.color.map((c) => c * (0.75 + 0.35 * n)), cover * 0.9);
  }
  return sky;
}

interface Building {
  height: number;
  tone: number;
  windows: boolean;
}

/** Deterministic building blocks along the horizon, one height per column. */
function skylineProfile(p: SkyPreset): Building[] | null {
  if (!p.skyline) return null;
  const random = new Random(0x5eed);
  const columns: Building[] = [];
  while (columns.length < WIDTH) {
    const width = random.int(10, 60);
    const block = {
      height: random.uniform(p.skyline.height[0], p.skyline.height[1]),
      tone: random.uniform(p.skyline.tone[0], p.skyline.tone[1]),
      windows: random.next() < p.skyline.windows,
    };
    for (let i = 0; i < width && columns.length < WIDTH; i++) columns.push(block);
  }
  return columns;
}

function smoothstep(a: number, b: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
}

/** Value noise on an integer lattice, hashed, smoothly interpolated: 0 to 1. */
function valueNoise(x: number, y: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = x - xi;
  const fy = y - yi;
  const h = (i: number, j: number) => {
    let n = Math.imul(i, 374761393) + Math.imul(j, 668265263);
    n = Math.imul(n ^ (n >>> 13), 1274126177);
    return ((n ^ (n >>> 16)) >>> 0) / 4294967296;
  };
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const top = h(xi, yi) + (h(xi + 1, yi) - h(xi, yi)) * sx;
  const bottom = h(xi, yi + 1) + (h(xi + 1, yi + 1) - h(xi, yi + 1)) * sx;
  return top + (bottom - top) * sy;
}

/** Fractal sum of `octaves` noise layers, normalised to 0 to 1. */
function fbm(x: number, y: number, octaves: number): number {
  let sum = 0;
  let amplitude = 0.5;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    sum += amplitude * valueNoise(x, y);
    total += amplitude;
    x *= 2.03;
    y *= 2.03;
    amplitude *= 0.5;
  }
  return sum / total;
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
