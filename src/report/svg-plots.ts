/**
 * Inline SVG plots for the balance report: horizontal bars with an asked
 * marker, stacked bars, a stacked histogram and a polar plot of camera
 * views. Each returns one `<svg>` string; nothing is loaded at view time.
 * Colours suit a dark page.
 */
import type { Histogram, ViewPoint } from './dataset-stats';
import type { AskedView } from './asked-distribution';
import { hexToLab, labDistance } from './colour-distance';

/** Fill colour per damage class, the hues of the contact sheet's outlines. */
export const CATEGORY_COLOURS: Record<string, string> = {
  dent: '#ffd600',
  scratch: '#00e5ff',
  crack: '#ff40c8',
  glass_shatter: '#40ff60',
  lamp_broken: '#ff8000',
  tire_flat: '#f0f0f0',
};

const FALLBACK_COLOURS = ['#9fa8ff', '#ff6b6b', '#b0ff6b', '#ffb36b', '#6bffe1', '#d46bff'];
const TEXT = '#d8dde4';
const MUTED = '#7c8590';
const GAP = '#ff5c5c';

/** The colour of a category, stable for names outside the six classes. */
export function categoryColour(name: string, index: number): string {
  return CATEGORY_COLOURS[name] ?? FALLBACK_COLOURS[index % FALLBACK_COLOURS.length];
}

/** Least CIE76 ΔE between a part colour and any damage colour: another colour at a glance. */
export const PART_DAMAGE_MIN_DELTA_E = 40;

/**
 * The colours part colours are drawn from: hues every 5 degrees, each at
 * saturation 35%, 50% and 65% and lightness 32%, 50% and 70% (none of the
 * damage classes' full saturation, all readable on the dark page), less
 * those within {@link PART_DAMAGE_MIN_DELTA_E} of a damage colour.
 */
const PART_CANDIDATES: { hex: string; lab: [number, number, number] }[] = (() => {
  const damage = Object.values(CATEGORY_COLOURS).map(hexToLab);
  const candidates: { hex: string; lab: [number, number, number] }[] = [];
  for (let hue = 0; hue < 360; hue += 5) {
    for (const saturation of [0.35, 0.5, 0.65]) {
      for (const lightness of [0.32, 0.5, 0.7]) {
        const hex = hslHex(hue, saturation, lightness);
        const lab = hexToLab(hex);
        if (damage.every((d) => labDistance(lab, d) >= PART_DAMAGE_MIN_DELTA_E)) candidates.push({ hex, lab });
      }
    }
  }
  return candidates;
})();

/** The first part colour: hue 0, saturation 50%, lightness 70%. */
const FIRST_PART_COLOUR = '#d98c8c';

/**
 * Colours of the part categories (`render --parts`), one per part, each
 * at least {@link PART_DAMAGE_MIN_DELTA_E} (CIE76 ΔE) from every damage
 * class's colour and as far from the other parts as the candidates allow:
 * the first is {@link FIRST_PART_COLOUR}, and each next one the candidate
 * farthest from the damage colours and the parts before it (the first of
 * equals in hue, then saturation, then lightness order). A part's colour
 * does not depend on how many parts follow it.
 *
 * @param count - Number of part categories, integer >= 0; past the 400 or
 *   so candidates colours repeat.
 * @returns `#rrggbb` colours, part `i` (in id order) at index `i`.
 */
export function partColours(count: number): string[] {
  const damage = Object.values(CATEGORY_COLOURS).map(hexToLab);
  // Per candidate, its distance to the nearest damage colour or part so far.
  const nearest = PART_CANDIDATES.map((c) => Math.min(...damage.map((d) => labDistance(c.lab, d))));
  const colours: string[] = [];
  for (let i = 0; i < count; i++) {
    let pick = i === 0 ? PART_CANDIDATES.findIndex((c) => c.hex === FIRST_PART_COLOUR) : 0;
    if (i > 0) for (let j = 1; j < nearest.length; j++) if (nearest[j] > nearest[pick]) pick = j;
    colours.push(PART_CANDIDATES[pick].hex);
    for (let j = 0; j < nearest.length; j++) nearest[j] = Math.min(nearest[j], labDistance(PART_CANDIDATES[j].lab, PART_CANDIDATES[pick].lab));
  }
  return colours;
}

/**
 * The colour of each category by id: damage classes as {@link categoryColour}
 * (the report's and contact sheet's), in id order; part categories (those
 * `isPart` says are parts) from {@link partColours}, in id order.
 */
export function categoryColourMap(categories: readonly { id: number; name: string }[], isPart: (c: { id: number; name: string }) => boolean): Map<number, string> {
  const byId = [...categories].sort((a, b) => a.id - b.id);
  const damage = byId.filter((c) => !isPart(c));
  const parts = byId.filter(isPart);
  const colours = partColours(parts.length);
  return new Map([...damage.map((c, i): [number, string] => [c.id, categoryColour(c.name, i)]), ...parts.map((c, i): [number, string] => [c.id, colours[i]])]);
}

/** `#rrggbb` of a hue (degrees), saturation and lightness (0 to 1). */
function hslHex(hue: number, saturation: number, lightness: number): string {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const v = lightness - chroma / 2 * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface BarRow {
  label: string;
  value: number;
  /** The count the asked share predicts, drawn as a white tick. */
  expected?: number;
  /** Marks the row as departing from what was asked. */
  gap?: boolean;
}

const LABEL_W = 150;
/** Width of a character of the plots' 11-pixel font, rounded up, in pixels. */
const CHAR_W = 7;
const ROW_H = 20;

/** One horizontal bar per row, scaled to the largest value or expected count. */
export function barChart(rows: readonly BarRow[], colour: string, width = 460): string {
  const plotW = width - LABEL_W - 70;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.value, r.expected ?? 0)));
  const height = rows.length * ROW_H + 6;
  const parts = rows.map((row, i) => {
    const y = i * ROW_H + 3;
    const w = (row.value / max) * plotW;
    const fill = row.gap ? GAP : colour;
    let tick = '';
    if (row.expected !== undefined) {
      const x = LABEL_W + (row.expected / max) * plotW;
      tick = `<line x1="${x.toFixed(1)}" y1="${y - 1}" x2="${x.toFixed(1)}" y2="${y + ROW_H - 3}" stroke="#fff" stroke-width="2"><title>asked ${row.expected.toFixed(1)}</title></line>`;
    }
    const note = `${row.value}${row.expected !== undefined ? ` / ${row.expected.toFixed(1)}` : ''}${row.gap ? ' gap' : ''}`;
    return (
      `<text x="${LABEL_W - 6}" y="${y + 13}" text-anchor="end" fill="${TEXT}">${escapeXml(truncate(row.label, 22))}<title>${escapeXml(row.label)}</title></text>` +
      `<rect x="${LABEL_W}" y="${y}" width="${Math.max(w, row.value > 0 ? 1 : 0).toFixed(1)}" height="${ROW_H - 4}" fill="${fill}"><title>${escapeXml(row.label)}: ${row.value}</title></rect>` +
      tick +
      `<text x="${(LABEL_W + Math.max(w, (row.expected ?? 0) / max * plotW) + 6).toFixed(1)}" y="${y + 13}" fill="${row.gap ? GAP : MUTED}">${note}</text>`
    );
  });
  return svg(width, height, parts.join(''));
}

/** One horizontal bar per row, split into coloured segments (`series` in order). */
export function stackedBarChart(rows: readonly { label: string; values: number[] }[], series: readonly { name: string; colour: string }[], width = 460): string {
  const plotW = width - LABEL_W - 120;
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((s, v) => s + v, 0)));
  const legend = legendRow(series, 0);
  const parts = rows.map((row, i) => {
    const y = i * ROW_H + 24;
    let x = LABEL_W;
    const segments = row.values.map((v, k) => {
      const w = (v / max) * plotW;
      const rect = v > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW_H - 4}" fill="${series[k].colour}"><title>${escapeXml(row.label)} ${escapeXml(series[k].name)}: ${v}</title></rect>` : '';
      x += w;
      return rect;
    });
    const total = row.values.reduce((s, v) => s + v, 0);
    return `<text x="${LABEL_W - 6}" y="${y + 13}" text-anchor="end" fill="${TEXT}">${escapeXml(truncate(row.label, 22))}</text>${segments.join('')}<text x="${(x + 6).toFixed(1)}" y="${y + 13}" fill="${MUTED}">${row.values.join(' / ')}${row.values.length > 1 ? ` = ${total}` : ''}</text>`;
  });
  return svg(width, rows.length * ROW_H + 30, legend + parts.join(''));
}

/**
 * Vertical bars per bin, stacked by category. `binLabel` names bin edges;
 * `markers` draws labelled vertical lines at values on the bins' scale
 * (`position` maps a value to a fractional bin index).
 */
export function histogramChart(
  hist: Histogram,
  binLabel: (edge: number) => string,
  markers: { at: number; label: string }[] = [],
  position: (value: number) => number = (v) => v,
  width = 940,
): string {
  const names = Object.keys(hist.counts);
  const bins = hist.edges.length - 1;
  const left = 40;
  // Room for the legend and for the total above the tallest bar.
  const top = 34;
  const plotW = width - left - 10;
  const plotH = 160;
  const binW = plotW / Math.max(1, bins);
  const totals = Array.from({ length: bins }, (_, b) => names.reduce((s, n) => s + hist.counts[n][b], 0));
  const max = Math.max(1, ...totals);
  const parts: string[] = [legendRow(names.map((name, i) => ({ name, colour: categoryColour(name, i) })), left)];
  for (let b = 0; b < bins; b++) {
    let y = top + plotH;
    for (const [i, name] of names.entries()) {
      const v = hist.counts[name][b];
      if (v === 0) continue;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(`<rect x="${(left + b * binW + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${(binW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${categoryColour(name, i)}"><title>${escapeXml(name)} ${binLabel(hist.edges[b])}-${binLabel(hist.edges[b + 1])}: ${v}</title></rect>`);
    }
    if (totals[b] > 0) parts.push(`<text x="${(left + (b + 0.5) * binW).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" fill="${MUTED}">${totals[b]}</text>`);
  }
  for (let b = 0; b <= bins; b++) {
    if (bins > 12 && b % 2 === 1 && b !== bins) continue;
    parts.push(`<text x="${(left + b * binW).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle" fill="${MUTED}">${binLabel(hist.edges[b])}</text>`);
  }
  for (const m of markers) {
    // A marker beyond the bins would fall outside the plot: it is left out.
    const at = position(m.at);
    if (!(at >= 0 && at <= bins)) continue;
    const x = left + at * binW;
    // The label right of the line where it fits, else left of it.
    const fits = x + 3 + m.label.length * CHAR_W <= width;
    const label = `<text x="${(fits ? x + 3 : x - 3).toFixed(1)}" y="${top + 10}"${fits ? '' : ' text-anchor="end"'} fill="${TEXT}">${escapeXml(m.label)}</text>`;
    parts.push(`<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${top + plotH}" stroke="#fff" stroke-dasharray="4 3"/>${label}`);
  }
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="${MUTED}"/>`);
  return svg(width, top + plotH + 22, parts.join(''));
}

/**
 * Camera views seen from above, the car's front up and its left to the
 * left: the angle is the azimuth, the distance from the centre falls with
 * elevation (rim 0 degrees, centre 90). Asked view ranges are shaded.
 */
export function polarViewPlot(points: readonly ViewPoint[], asked: readonly AskedView[], size = 420): string {
  const c = size / 2;
  const R = c - 48;
  const radius = (elevation: number) => R * (1 - Math.min(90, Math.max(0, elevation)) / 90);
  const at = (azimuth: number, elevation: number): [number, number] => {
    const a = (azimuth * Math.PI) / 180;
    const r = radius(elevation);
    return [c - r * Math.sin(a), c - r * Math.cos(a)];
  };
  const parts: string[] = [];
  const viewNames = [...new Set([...asked.map((v) => v.name), ...points.map((p) => p.view)])];
  const colourOf = (view: string) => FALLBACK_COLOURS[viewNames.indexOf(view) % FALLBACK_COLOURS.length];

  for (const view of asked) {
    if (view.elevationDeg === null) continue;
    const [e0, e1] = typeof view.elevationDeg === 'number' ? [view.elevationDeg, view.elevationDeg] : view.elevationDeg;
    let [a0, a1] = typeof view.azimuthDeg === 'number' ? [view.azimuthDeg, view.azimuthDeg] : view.azimuthDeg;
    if (a1 < a0) a1 += 360;
    parts.push(`<path d="${sectorPath(at, a0, a1, e0, e1)}" fill-rule="evenodd" fill="${colourOf(view.name)}" fill-opacity="0.16" stroke="${colourOf(view.name)}" stroke-opacity="0.5"><title>asked: ${escapeXml(view.name)}</title></path>`);
  }
  for (const elevation of [0, 30, 60]) {
    parts.push(`<circle cx="${c}" cy="${c}" r="${radius(elevation).toFixed(1)}" fill="none" stroke="${MUTED}" stroke-opacity="0.6"/>`);
    if (elevation > 0) parts.push(`<text x="${c + 3}" y="${(c - radius(elevation) + 11).toFixed(1)}" fill="${MUTED}">${elevation}°</text>`);
  }
  for (const [azimuth, label] of [[0, 'front 0°'], [90, 'left 90°'], [180, 'rear 180°'], [270, 'right 270°']] as const) {
    const [x, y] = at(azimuth, -22);
    parts.push(`<text x="${x.toFixed(1)}" y="${(y + 4).toFixed(1)}" text-anchor="middle" fill="${TEXT}">${label}</text>`);
  }
  parts.push(`<rect x="${c - 7}" y="${c - 15}" width="14" height="30" rx="4" fill="none" stroke="${TEXT}"/><path d="M ${c - 5} ${c - 9} L ${c + 5} ${c - 9}" stroke="${TEXT}"/>`);
  for (const p of thinOut(points, MAX_POINTS)) {
    const [x, y] = at(p.azimuthDeg, p.elevationDeg);
    parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${colourOf(p.view)}" stroke="#000" stroke-width="0.5"><title>image ${p.imageId} (${escapeXml(p.view)}): azimuth ${p.azimuthDeg.toFixed(1)}°, elevation ${p.elevationDeg.toFixed(1)}°</title></circle>`);
  }
  const legend = viewNames.map((name, i) => `<circle cx="10" cy="${12 + i * 16}" r="4" fill="${colourOf(name)}"/><text x="20" y="${16 + i * 16}" fill="${TEXT}">${escapeXml(name)}</text>`);
  return svg(size, size, parts.join('') + legend.join(''));
}

/** Most points a polar plot draws; more are taken evenly, so the page stays light. */
export const MAX_POINTS = 4000;

function thinOut<T>(items: readonly T[], most: number): readonly T[] {
  if (items.length <= most) return items;
  return Array.from({ length: most }, (_, i) => items[Math.floor((i * items.length) / most)]);
}

/** An annulus sector from azimuth a0 to a1 (a1 >= a0) and elevation e0 to e1, as an SVG path. */
function sectorPath(at: (a: number, e: number) => [number, number], a0: number, a1: number, e0: number, e1: number): string {
  const steps = Math.max(2, Math.ceil((a1 - a0) / 5));
  const outer: string[] = [];
  const inner: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = a0 + ((a1 - a0) * i) / steps;
    outer.push(at(a, e0).map((v) => v.toFixed(1)).join(' '));
    inner.push(at(a, e1).map((v) => v.toFixed(1)).join(' '));
  }
  if (a1 - a0 >= 360) return `M ${outer.join(' L ')} Z M ${inner.reverse().join(' L ')} Z`;
  return `M ${outer.join(' L ')} L ${inner.reverse().join(' L ')} Z`;
}

function legendRow(series: readonly { name: string; colour: string }[], left: number): string {
  let x = left;
  return series
    .map((s) => {
      const item = `<rect x="${x}" y="4" width="10" height="10" fill="${s.colour}"/><text x="${x + 14}" y="13" fill="${TEXT}">${escapeXml(s.name)}</text>`;
      x += 22 + s.name.length * 7;
      return item;
    })
    .join('');
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">${body}</svg>`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
