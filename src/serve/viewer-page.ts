/**
 * The page `dentfarm serve` answers at `/`: plain HTML, CSS and script in
 * one document, loading only the server's own JSON and image files. A grid
 * of images with filters; an image view (`#image=ID`) with every mask
 * drawn over the image in its class colour (part masks under damage, in
 * colours of their own), toggled per category, and each annotation's
 * attributes in a table.
 *
 * The script reads `/api/dataset.json` once and `/api/image/ID.json` per
 * image, whose masks come as uncompressed COCO RLE counts (column-major,
 * starting with a run of 0s). Text from the dataset is set as text, never
 * parsed as HTML.
 */

const STYLE = `
* { box-sizing: border-box; }
body { background: #16181c; color: #d8dde4; font: 14px/1.4 "DejaVu Sans", Arial, sans-serif; margin: 0; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 18px; background: #1e2127; border-bottom: 1px solid #2c313a; }
header h1 { font-size: 17px; margin: 0; } header a { color: #9fd0ff; }
#filters { display: flex; flex-wrap: wrap; gap: 10px; padding: 10px 18px; border-bottom: 1px solid #2c313a; align-items: end; }
#filters label { display: flex; flex-direction: column; font-size: 11px; color: #7c8590; }
select, input, button { background: #262a31; color: #d8dde4; border: 1px solid #3a404a; border-radius: 4px; padding: 3px 6px; font: inherit; }
button { cursor: pointer; } button:hover { background: #323842; }
#count { color: #7c8590; margin-left: 6px; }
#grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; padding: 12px 18px; }
.thumb { background: #1e2127; border: 1px solid #2c313a; border-radius: 5px; overflow: hidden; cursor: pointer; }
.thumb:hover { border-color: #5b8def; }
.thumb img { width: 100%; display: block; aspect-ratio: 4 / 3; object-fit: cover; background: #000; }
.thumb .caption { padding: 4px 7px; font-size: 11px; color: #aab2bd; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 2px; }
#more { margin: 0 18px 18px; }
#view { padding: 12px 18px; display: none; }
#view .bar { display: flex; gap: 8px; align-items: center; margin-bottom: 10px; flex-wrap: wrap; }
#stage { position: relative; display: block; max-width: 100%; line-height: 0; }
#stage canvas { width: 100%; height: auto; image-rendering: pixelated; }
#overlay { position: absolute; left: 0; top: 0; width: 100%; height: 100%; pointer-events: none; }
#toggles { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
#toggles label { display: flex; gap: 4px; align-items: center; }
#meta { color: #aab2bd; font-size: 12px; margin: 6px 0; }
table { border-collapse: collapse; font-size: 12px; margin-top: 8px; }
th, td { padding: 3px 9px; border-bottom: 1px solid #2c313a; text-align: left; vertical-align: top; }
tr.ann:hover { background: #262a31; } tr.crowd { color: #7c8590; } td.cat { white-space: nowrap; }
#fill-label { margin-left: auto; color: #7c8590; }
.empty { padding: 30px 18px; color: #7c8590; }
#missing { margin: 6px 0; padding: 6px 10px; border-left: 3px solid #ff5c5c; background: #2a1d20; color: #ffb3b3; }
#base { background: #000; }
`;

const SCRIPT = String.raw`
'use strict';
var FILTERS = [['model', 'model'], ['colour', 'colour'], ['category', 'category'], ['part', 'part'], ['lighting', 'lighting'], ['background', 'background'], ['view', 'view'], ['split', 'split']];
var PAGE = 120;
var data = null;
var shown = PAGE;
var current = null;
var hidden = {};
var highlight = null;
var fillMasks = true;

function el(tag, attrs, text) {
  var node = document.createElement(tag);
  for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
  if (text !== undefined) node.textContent = text;
  return node;
}
function categoryOf(id) {
  return data.categories.find(function (c) { return c.id === id; });
}
function colourOf(id) {
  var c = categoryOf(id);
  return c && c.colour ? c.colour : '#9fa8ff';
}
function nameOf(id) {
  var c = data.categories.find(function (c) { return c.id === id; });
  return c ? c.name : String(id);
}
function imageUrl(file) {
  return '/' + file.split('/').map(encodeURIComponent).join('/');
}

function buildFilters() {
  var box = document.getElementById('filters');
  FILTERS.forEach(function (f) {
    var values = {};
    data.images.forEach(function (im) { valuesOf(im, f[0]).forEach(function (v) { values[v] = (values[v] || 0) + 1; }); });
    var keys = Object.keys(values).sort();
    // Categories in the server's order: damage classes by id, then parts by id.
    if (f[0] === 'category') keys.sort(function (a, b) { return categoryRank(Number(a)) - categoryRank(Number(b)); });
    if (f[0] === 'split' && keys.length === 0) return;
    var label = el('label', {}, f[1]);
    if (f[0] === 'category' || f[0] === 'part') label.title = 'Images with an instance of it; ignore regions are not counted';
    var select = el('select', { id: 'filter-' + f[0] });
    select.appendChild(el('option', { value: '' }, 'any'));
    keys.forEach(function (k) {
      var text = f[0] === 'category' ? nameOf(Number(k)) : k;
      select.appendChild(el('option', { value: k }, text + ' (' + values[k] + ')'));
    });
    select.addEventListener('change', function () { shown = PAGE; renderGrid(); });
    label.appendChild(select);
    box.appendChild(label);
  });
  var shardLabel = el('label', {}, 'shard (index / count)');
  var row = el('span');
  var index = el('select', { id: 'filter-shard' });
  var count = el('input', { id: 'shard-count', type: 'number', min: '1', value: String(data.shardCount), style: 'width: 60px' });
  function fillShards() {
    var n = Math.max(1, Math.floor(Number(count.value) || 1));
    index.textContent = '';
    index.appendChild(el('option', { value: '' }, 'any'));
    for (var i = 0; i < n; i++) index.appendChild(el('option', { value: String(i) }, i + ' / ' + n));
  }
  fillShards();
  count.addEventListener('change', function () { fillShards(); renderGrid(); });
  index.addEventListener('change', function () { shown = PAGE; renderGrid(); });
  row.appendChild(index);
  row.appendChild(document.createTextNode(' of '));
  row.appendChild(count);
  shardLabel.appendChild(row);
  box.appendChild(shardLabel);
  var reset = el('button', { id: 'reset' }, 'clear filters');
  reset.addEventListener('click', function () {
    count.value = String(data.shardCount);
    fillShards();
    box.querySelectorAll('select').forEach(function (s) { s.value = ''; });
    shown = PAGE;
    renderGrid();
  });
  box.appendChild(reset);
  box.appendChild(el('span', { id: 'count' }));
}

function categoryRank(id) {
  var i = data.categories.indexOf(categoryOf(id));
  return i < 0 ? data.categories.length : i;
}

function valuesOf(im, facet) {
  if (facet === 'category') return im.categories.map(String);
  if (facet === 'part') return im.parts;
  var v = im[facet];
  return v === null || v === undefined ? [] : [String(v)];
}

function filtered() {
  var chosen = FILTERS.map(function (f) {
    var s = document.getElementById('filter-' + f[0]);
    return [f[0], s ? s.value : ''];
  }).filter(function (p) { return p[1] !== ''; });
  var shard = document.getElementById('filter-shard').value;
  var shards = Math.max(1, Math.floor(Number(document.getElementById('shard-count').value) || 1));
  return data.images.filter(function (im) {
    if (shard !== '' && (im.id - 1) % shards !== Number(shard)) return false;
    return chosen.every(function (p) { return valuesOf(im, p[0]).indexOf(p[1]) >= 0; });
  });
}

function renderGrid() {
  var list = filtered();
  var grid = document.getElementById('grid');
  grid.textContent = '';
  document.getElementById('count').textContent = list.length + ' of ' + data.images.length + ' images';
  list.slice(0, shown).forEach(function (im) {
    var card = el('div', { class: 'thumb', 'data-id': String(im.id), title: im.file });
    card.appendChild(el('img', { src: imageUrl(im.file), loading: 'lazy', alt: im.file }));
    var caption = el('div', { class: 'caption' });
    im.categories.forEach(function (id) {
      var dot = el('span', { class: 'dot', title: nameOf(id) });
      dot.style.background = colourOf(id);
      caption.appendChild(dot);
    });
    caption.appendChild(document.createTextNode(' #' + im.id + ' ' + im.model + ' · ' + im.colour + ' · ' + im.instances + ' inst.'));
    card.appendChild(caption);
    card.addEventListener('click', function () { location.hash = 'image=' + im.id; });
    grid.appendChild(card);
  });
  if (list.length === 0) grid.appendChild(el('div', { class: 'empty' }, 'No image matches these filters.'));
  var more = document.getElementById('more');
  more.style.display = list.length > shown ? '' : 'none';
  more.textContent = 'show ' + Math.min(PAGE, list.length - shown) + ' more';
}

function route() {
  var m = /image=(\d+)/.exec(location.hash);
  document.getElementById('browse').style.display = m ? 'none' : '';
  document.getElementById('view').style.display = m ? 'block' : 'none';
  if (m) openImage(Number(m[1]));
}

function openImage(id) {
  fetch('/api/image/' + id + '.json').then(function (r) {
    if (r.ok) return r.json();
    return r.text().then(function (text) {
      var why = text.trim();
      try { why = JSON.parse(text).error; } catch (notJson) { /* plain text, shown as it is */ }
      throw new Error('image ' + id + ': ' + r.status + ' ' + why);
    });
  }).then(function (detail) {
    current = detail;
    highlight = null;
    var missing = document.getElementById('missing');
    missing.textContent = '';
    missing.style.display = 'none';
    var show = function (width, height, source) {
      var base = document.getElementById('base');
      base.width = width;
      base.height = height;
      if (source) base.getContext('2d').drawImage(source, 0, 0);
      // Up to twice the image's size, so that small masks can be seen.
      document.getElementById('stage').style.width = Math.min(2 * width, 1280) + 'px';
      var overlay = document.getElementById('overlay');
      overlay.width = width;
      overlay.height = height;
      current.masks = current.annotations.map(decodeCounts);
      renderDetail();
      document.body.setAttribute('data-loaded', String(id));
    };
    // Without its image file the annotations still show, over a blank canvas of the listed size.
    var without = function (why) {
      missing.textContent = 'The image file ' + detail.image.file_name + ' ' + why + '. Its annotations are listed below; the masks are drawn on a blank canvas of its listed size, ' + detail.image.width + ' x ' + detail.image.height + '.';
      missing.style.display = '';
      show(Number(detail.image.width) || 0, Number(detail.image.height) || 0, null);
    };
    if (detail.file_missing) return without('is missing from the dataset folder');
    var img = new Image();
    img.onload = function () { show(img.naturalWidth, img.naturalHeight, img); };
    img.onerror = function () { without('could not be loaded as an image'); };
    img.src = imageUrl(detail.image.file_name);
  }).catch(function (e) {
    // Nothing of another image may stay on show under this one's number.
    ['title', 'toggles', 'annotations', 'missing'].forEach(function (name) { document.getElementById(name).textContent = ''; });
    ['base', 'overlay'].forEach(function (name) { document.getElementById(name).width = 0; });
    document.getElementById('title').textContent = '#' + id;
    document.getElementById('meta').textContent = String(e.message || e);
  });
}

function decodeCounts(a) {
  var h = a.size[0], w = a.size[1];
  var mask = new Uint8Array(w * h);
  var pos = 0;
  for (var i = 0; i < a.counts.length; i++) {
    var end = pos + a.counts[i];
    if (i % 2 === 1) for (var j = pos; j < end; j++) mask[(j % h) * w + Math.floor(j / h)] = 1;
    pos = end;
  }
  return { width: w, height: h, data: mask };
}

function renderDetail() {
  var d = current;
  var im = d.image;
  var rec = im.dentfarm || {};
  var cam = rec.camera || {};
  var summary = data.images.find(function (x) { return x.id === im.id; }) || {};
  document.getElementById('title').textContent = '#' + im.id + ' ' + im.file_name;
  document.getElementById('meta').textContent = [
    'model ' + (summary.model || '?'), 'colour ' + (summary.colour || '?') + (rec.paint && rec.paint.finish ? ' (' + rec.paint.finish + ')' : ''),
    'lighting ' + (rec.lighting || '?'), 'background ' + (rec.background || '?'), 'view ' + (rec.view || '?'),
    'azimuth ' + (typeof cam.azimuth_deg === 'number' ? cam.azimuth_deg.toFixed(1) + '°' : '?'),
    'elevation ' + (typeof cam.elevation_deg === 'number' ? cam.elevation_deg.toFixed(1) + '°' : '?'),
    summary.split ? 'split ' + summary.split : '', im.width + ' x ' + im.height,
  ].filter(Boolean).join(' · ');

  var toggles = document.getElementById('toggles');
  toggles.textContent = '';
  var present = {};
  d.annotations.forEach(function (a) { present[a.category_id] = (present[a.category_id] || 0) + 1; });
  data.categories.forEach(function (c) {
    if (!present[c.id]) return;
    var label = el('label');
    var box = el('input', { type: 'checkbox', id: 'toggle-' + c.name, 'data-category': String(c.id) });
    box.checked = !hidden[c.id];
    box.addEventListener('change', function () { hidden[c.id] = !box.checked; drawOverlay(); });
    var dot = el('span', { class: 'dot' });
    dot.style.background = colourOf(c.id);
    label.appendChild(box);
    label.appendChild(dot);
    label.appendChild(document.createTextNode(c.name + ' (' + present[c.id] + ')'));
    toggles.appendChild(label);
  });
  if (d.annotations.length === 0) toggles.appendChild(el('span', { class: 'muted' }, 'No annotations: an image without visible damage.'));
  var fillLabel = el('label', { id: 'fill-label', title: 'Off: outlines only, so the damage under a mask shows' });
  var fillBox = el('input', { type: 'checkbox', id: 'fill-masks' });
  fillBox.checked = fillMasks;
  fillBox.addEventListener('change', function () { fillMasks = fillBox.checked; drawOverlay(); });
  fillLabel.appendChild(fillBox);
  fillLabel.appendChild(document.createTextNode('fill masks'));
  toggles.appendChild(fillLabel);

  var table = document.getElementById('annotations');
  table.textContent = '';
  var head = el('tr');
  ['id', 'category', 'iscrowd', 'area', 'bbox', 'attributes'].forEach(function (h) { head.appendChild(el('th', {}, h)); });
  table.appendChild(head);
  d.annotations.forEach(function (a, i) {
    var row = el('tr', { class: 'ann' + (a.iscrowd ? ' crowd' : ''), 'data-annotation': String(a.id) });
    var cat = el('td', { class: 'cat' });
    var dot = el('span', { class: 'dot' });
    dot.style.background = colourOf(a.category_id);
    cat.appendChild(dot);
    cat.appendChild(document.createTextNode(nameOf(a.category_id) + (a.iscrowd ? ' (ignore region)' : '')));
    row.appendChild(el('td', {}, String(a.id)));
    row.appendChild(cat);
    row.appendChild(el('td', {}, String(a.iscrowd)));
    row.appendChild(el('td', {}, String(a.area)));
    row.appendChild(el('td', {}, JSON.stringify(a.bbox)));
    var attrs = Object.keys(a.attributes || {}).map(function (k) {
      var v = a.attributes[k];
      return k + '=' + (typeof v === 'object' ? JSON.stringify(v) : String(v));
    });
    row.appendChild(el('td', {}, attrs.join('  ')));
    row.addEventListener('mouseenter', function () { highlight = i; drawOverlay(); });
    row.addEventListener('mouseleave', function () { highlight = null; drawOverlay(); });
    table.appendChild(row);
  });
  drawOverlay();
}

function hexRgb(hex) {
  var n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function drawOverlay() {
  var overlay = document.getElementById('overlay');
  var ctx = overlay.getContext('2d');
  var w = overlay.width, h = overlay.height;
  var out = ctx.createImageData(w, h);
  // Later masks paint over earlier ones: part masks first, then ignore regions, damage on top.
  var layer = function (a) { var c = categoryOf(a.category_id); return c && c.part ? 0 : a.iscrowd ? 1 : 2; };
  var order = current.annotations.map(function (a, i) { return i; });
  order.sort(function (i, j) { return layer(current.annotations[i]) - layer(current.annotations[j]) || i - j; });
  order.forEach(function (i) {
    var a = current.annotations[i];
    if (hidden[a.category_id]) return;
    var m = current.masks[i];
    if (m.width !== w || m.height !== h) return;
    var rgb = a.iscrowd ? [150, 150, 150] : hexRgb(colourOf(a.category_id));
    var fill = highlight === i ? 200 : !fillMasks ? 0 : highlight === null ? 110 : 50;
    var x0 = Math.max(0, Math.floor(a.bbox[0])), y0 = Math.max(0, Math.floor(a.bbox[1]));
    var x1 = Math.min(w, Math.ceil(a.bbox[0] + a.bbox[2])), y1 = Math.min(h, Math.ceil(a.bbox[1] + a.bbox[3]));
    for (var y = y0; y < y1; y++) {
      for (var x = x0; x < x1; x++) {
        var p = y * w + x;
        if (!m.data[p]) continue;
        var edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 || !m.data[p - 1] || !m.data[p + 1] || !m.data[p - w] || !m.data[p + w];
        if (!edge && fill === 0) continue;
        var q = 4 * p;
        out.data[q] = rgb[0]; out.data[q + 1] = rgb[1]; out.data[q + 2] = rgb[2];
        out.data[q + 3] = edge ? 255 : Math.max(out.data[q + 3], fill);
      }
    }
  });
  ctx.putImageData(out, 0, 0);
  var visible = current.annotations.filter(function (a) { return !hidden[a.category_id]; }).length;
  document.body.setAttribute('data-masks-drawn', String(visible));
}

function step(delta) {
  var list = filtered();
  var at = list.findIndex(function (im) { return current && im.id === current.image.id; });
  var next = list[at + delta];
  if (next) location.hash = 'image=' + next.id;
}

fetch('/api/dataset.json').then(function (r) { return r.json(); }).then(function (d) {
  data = d;
  document.getElementById('dataset').textContent = d.title + ': ' + d.images.length + ' images, ' + d.annotations + ' annotations';
  buildFilters();
  renderGrid();
  document.getElementById('more').addEventListener('click', function () { shown += PAGE; renderGrid(); });
  document.getElementById('back').addEventListener('click', function () { location.hash = ''; });
  document.getElementById('prev').addEventListener('click', function () { step(-1); });
  document.getElementById('next').addEventListener('click', function () { step(1); });
  window.addEventListener('hashchange', route);
  route();
  document.body.setAttribute('data-ready', 'true');
});
`;

/** The viewer page; category colours come with `/api/dataset.json`. */
export function viewerPageHtml(): string {
  const script = SCRIPT;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>dentfarm dataset</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>dentfarm</h1><span id="dataset"></span><a href="/report" target="_blank" id="report-link">balance report</a></header>
<div id="browse">
<div id="filters"></div>
<div id="grid"></div>
<button id="more">show more</button>
</div>
<div id="view">
<div class="bar"><button id="back">back to grid</button><button id="prev">previous</button><button id="next">next</button><b id="title"></b></div>
<div id="meta"></div>
<div id="missing" style="display: none"></div>
<div id="toggles"></div>
<div id="stage"><canvas id="base"></canvas><canvas id="overlay"></canvas></div>
<table id="annotations"></table>
</div>
<script>${script}</script>
</body>
</html>
`;
}
