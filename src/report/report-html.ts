/**
 * The balance report as one self-contained HTML page: inline CSS and SVG,
 * no script and nothing fetched when it is viewed. Every plot has its
 * numbers in a table beside it.
 */
import type { DatasetStats, FacetRow, Facet } from './dataset-stats';
import { LARGE_AREA, SMALL_AREA } from './dataset-stats';
import { barChart, escapeXml, histogramChart, MAX_POINTS, polarViewPlot, stackedBarChart } from './svg-plots';

const FACET_TITLES: Record<Facet, string> = {
  model: 'Car model',
  colour: 'Colour',
  lighting: 'Lighting',
  background: 'Background',
  view: 'View',
  split: 'Split',
};

const IMAGE_COLOUR = '#5b8def';
const INSTANCE_COLOUR = '#e0a84a';

/**
 * Renders the report page.
 *
 * @param title - Shown as the page heading, e.g. the dataset folder.
 */
export function renderReportHtml(stats: DatasetStats, title: string): string {
  const sections = [summarySection(stats), categorySection(stats), ...(['model', 'colour', 'lighting', 'background', 'view', 'split'] as const).map((f) => facetSection(stats, f)), partSection(stats), sizeSection(stats), visibleSection(stats), viewSection(stats)];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dentfarm report: ${escapeXml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>dentfarm dataset report <span class="muted">${escapeXml(title)}</span></h1>
${sections.filter(Boolean).join('\n')}
</body>
</html>
`;
}

function summarySection(stats: DatasetStats): string {
  const asked = stats.asked;
  const configLine = asked
    ? `Asked distribution from <code>${escapeXml(asked.configFile)}</code>${asked.matchesDataset ? `, the config this dataset was rendered from (${asked.matchedImages} of ${stats.images} images matched to their jobs).` : ': <b class="gap">not the config this dataset was rendered from</b> (its sha256 differs from info.config_sha256); axis shares are compared, requested damage is not.'}`
    : 'No config given: only what the dataset got is shown. Pass <code>--config FILE</code> to compare with what the config asked for.';
  const gaps = stats.gaps.length
    ? `<div class="gaps"><b>${stats.gaps.length} gap${stats.gaps.length === 1 ? '' : 's'}</b> between asked and got (outside what chance allows, p &lt; 1%):<ul>${stats.gaps.map((g) => `<li>${escapeXml(g)}</li>`).join('')}</ul></div>`
    : asked
      ? '<div class="ok">No gaps: every count is within what chance allows of what was asked.</div>'
      : '';
  return `<section><div class="totals">
<div><b>${stats.images}</b> images</div><div><b>${stats.instances}</b> instances</div><div><b>${stats.ignoreRegions}</b> ignore regions</div><div><b>${stats.imagesWithoutDamage}</b> images without damage</div>
</div><p>${configLine}</p>${gaps}
<p class="muted">Instances are damage annotations with iscrowd 0; ignore regions (iscrowd 1) are counted apart. Bars: <span style="color:${IMAGE_COLOUR}">images</span>, <span style="color:${INSTANCE_COLOUR}">instances</span>; a white tick is the count the asked share predicts; red bars are gaps.</p></section>`;
}

function categorySection(stats: DatasetStats): string {
  const rows = stats.categories.map((c) => ({ label: c.name, value: c.instances, expected: c.asked?.expected, gap: c.asked?.gap }));
  const requested = stats.categories.some((c) => c.requested !== undefined);
  const table = numbersTable(
    ['category', 'images', 'instances', 'ignore regions', ...(requested ? ['requested', 'asked instances'] : [])],
    stats.categories.map((c) => [c.name, c.images, c.instances, c.ignoreRegions, ...(requested ? [c.requested ?? 0, askedCell(c.asked)] : [])]),
    stats.categories.map((c) => !!c.asked?.gap),
  );
  const parts = stats.partMasks.length
    ? `<h3>Part masks</h3>${numbersTable(['part category', 'images', 'masks'], stats.partMasks.map((p) => [p.name, p.images, p.instances]))}`
    : '';
  return `<section><h2>Damage category</h2><p class="muted">The tick is the category's share of the damage the jobs requested, times the instances got.</p>
<div class="row"><div>${chartTitle('images')}${barChart(stats.categories.map((c) => ({ label: c.name, value: c.images })), IMAGE_COLOUR)}</div><div>${chartTitle('instances')}${barChart(rows, INSTANCE_COLOUR)}</div></div>${table}${parts}</section>`;
}

function facetSection(stats: DatasetStats, facet: Facet): string {
  const rows: FacetRow[] = stats.facets[facet];
  if (rows.length === 0) return '';
  const asked = rows.some((r) => r.asked);
  const table = numbersTable(
    [facet, 'images', 'instances', 'ignore regions', ...(asked ? ['asked images'] : [])],
    rows.map((r) => [r.value, r.images, r.instances, r.ignoreRegions, ...(asked ? [askedCell(r.asked)] : [])]),
    rows.map((r) => !!r.asked?.gap),
  );
  return `<section><h2>${FACET_TITLES[facet]}</h2>
<div class="row"><div>${chartTitle('images')}${barChart(rows.map((r) => ({ label: r.value, value: r.images, expected: r.asked?.expected, gap: r.asked?.gap })), IMAGE_COLOUR)}</div><div>${chartTitle('instances')}${barChart(rows.map((r) => ({ label: r.value, value: r.instances })), INSTANCE_COLOUR)}</div></div>${table}</section>`;
}

function partSection(stats: DatasetStats): string {
  if (stats.parts.length === 0) return '';
  return `<section><h2>Damaged part</h2><p class="muted">attributes.part of each instance.</p>
<div class="row"><div>${chartTitle('images')}${barChart(stats.parts.map((p) => ({ label: p.part, value: p.images })), IMAGE_COLOUR)}</div><div>${chartTitle('instances')}${barChart(stats.parts.map((p) => ({ label: p.part, value: p.instances })), INSTANCE_COLOUR)}</div></div>
${numbersTable(['part', 'images', 'instances'], stats.parts.map((p) => [p.part, p.images, p.instances]))}</section>`;
}

function sizeSection(stats: DatasetStats): string {
  const buckets = [
    { name: `small (< 32²)`, colour: '#7fb3ff' },
    { name: `medium (< 96²)`, colour: '#4f7fd6' },
    { name: `large`, colour: '#284d99' },
  ];
  const chart = stackedBarChart(stats.categories.map((c) => ({ label: c.name, values: [c.small, c.medium, c.large] })), buckets);
  const log2 = (v: number) => Math.log2(v / stats.area.edges[0]);
  const hist = histogramChart(stats.area, (edge) => (edge >= 1024 ? `${edge / 1024}k` : String(edge)), [
    { at: SMALL_AREA, label: '32²' },
    { at: LARGE_AREA, label: '96²' },
  ], log2);
  return `<section><h2>Instance size</h2><p class="muted">Mask area in pixels, in COCO's buckets: small under 32² = ${SMALL_AREA}, medium under 96² = ${LARGE_AREA}, large from there.</p>
${chart}
${numbersTable(['category', 'small', 'medium', 'large'], stats.categories.map((c) => [c.name, c.small, c.medium, c.large]))}
<h3>Area histogram (pixels, bins doubling)</h3>${hist}</section>`;
}

function visibleSection(stats: DatasetStats): string {
  const total = Object.values(stats.visibleFraction.counts).reduce((s, bins) => s + bins.reduce((a, b) => a + b, 0), 0);
  if (total === 0) return '';
  return `<section><h2>Visible fraction</h2><p class="muted">attributes.visible_fraction: visible pixels over the pixels the damage would cover unoccluded and uncut by the frame; ${total} instances.</p>
${histogramChart(stats.visibleFraction, (edge) => edge.toFixed(1))}</section>`;
}

function viewSection(stats: DatasetStats): string {
  if (stats.views.length === 0) return '';
  const asked = stats.asked?.views ?? [];
  return `<section><h2>Views</h2><p class="muted">Camera azimuth and elevation of each image, from above: the car's front up, its left to the left; the rim is 0° elevation, the centre 90°. ${asked.length ? 'Shaded: the ranges the config asks for.' : ''}${stats.views.length > MAX_POINTS ? ` ${MAX_POINTS} of the ${stats.views.length} images drawn, taken evenly.` : ''}</p>
${polarViewPlot(stats.views, asked)}</section>`;
}

function askedCell(asked: { expected: number; share: number; gap: boolean } | undefined): string {
  if (!asked) return '';
  return `${asked.expected.toFixed(1)} (${(asked.share * 100).toFixed(1)}%)${asked.gap ? ' gap' : ''}`;
}

function chartTitle(text: string): string {
  return `<div class="muted small">${escapeXml(text)}</div>`;
}

function numbersTable(head: string[], rows: (string | number)[][], gaps: boolean[] = []): string {
  const th = head.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows
    .map((row, i) => `<tr${gaps[i] ? ' class="gap"' : ''}>${row.map((cell, j) => `<td${j > 0 ? ' class="num"' : ''}>${escapeXml(String(cell))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `
body { background: #16181c; color: #d8dde4; font: 14px/1.45 "DejaVu Sans", Arial, sans-serif; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 17px; margin: 0 0 6px; } h3 { font-size: 14px; margin: 14px 0 6px; }
section { background: #1e2127; border: 1px solid #2c313a; border-radius: 6px; padding: 14px 18px; margin: 0 0 16px; max-width: 980px; }
.muted { color: #7c8590; } .small { font-size: 12px; }
.row { display: flex; flex-wrap: wrap; gap: 16px; }
.totals { display: flex; gap: 28px; font-size: 15px; } .totals b { font-size: 22px; color: #fff; }
.gaps { border-left: 4px solid #ff5c5c; padding: 6px 12px; background: #2a1d1f; } .gaps ul { margin: 4px 0; }
.ok { border-left: 4px solid #40c060; padding: 6px 12px; background: #1d2a20; }
.gap, tr.gap td { color: #ff5c5c; }
table { border-collapse: collapse; margin-top: 8px; font-size: 12px; }
th, td { padding: 2px 10px; border-bottom: 1px solid #2c313a; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { color: #9fd0ff; }
`;
