/**
 * Damage at known places, rendered by the real page, checked against sizes
 * worked out from the camera by hand: a dent in the open, one centred on the
 * image border (half of it outside the frame) and one on the far side of the
 * car (hidden behind the near side).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateJob } from '../../src/annotation/annotate-job';
import { loadCatalog, selectModels } from '../../src/car/model-catalog';
import { loadConfig } from '../../src/config/load-config';
import { AssetServer } from '../../src/farm/asset-server';
import { findChromium } from '../../src/farm/find-chromium';
import { RendererPage } from '../../src/farm/renderer-page';
import { RENDERER_PAGE, mountRunAssets } from '../../src/farm/run-assets';
import { expandGrid } from '../../src/grid/expand-grid';
import { flipRows } from '../../src/pipeline/flip-rows';
import { renderRequest } from '../../src/pipeline/render-dataset';
import { twinPixels } from '../../src/pipeline/twin-pixels';
import type { DamageRequest, RenderResult } from '../../src/protocol';
import { ROOT, writeConfig } from './run-cli';

const W = 320;
const H = 240;
const RADIUS_M = 0.1;
const LABEL_FRACTION = 0.001;

describe('damage at chosen image points', () => {
  const server = new AssetServer();
  let page: RendererPage;
  let result: RenderResult;
  /** The same job with the twin drawn only around the labels. */
  let labelsOnly: RenderResult;

  beforeAll(async () => {
    const file = writeConfig({
      name: 'aimed',
      models: ['dentfarm-sedan'],
      paints: ['red'],
      lighting: [{ environment: 'studio' }],
      // Side on, level, close enough that the car runs past both borders.
      views: [{ name: 'side', azimuthDeg: 90, elevationDeg: 0, distanceM: 3, focalLengthMm: 50, targetHeightM: 0.7 }],
      image: { width: W, height: H },
      annotations: { dentLabelFraction: LABEL_FRACTION },
    });
    const config = loadConfig(file, [join(ROOT, 'car-models')]);
    const models = selectModels(loadCatalog(config.modelDirs), config.models, config.file);
    const job = [...expandGrid(config, models)][0];
    const urls = mountRunAssets(server, ROOT, config, models);
    await server.start();
    page = await RendererPage.open({
      executablePath: findChromium(undefined, process.env, () => {}),
      gl: 'swiftshader',
      assets: server,
      pagePath: RENDERER_PAGE,
      jobTimeoutMs: 120_000,
    });
    const dent = (x: number, y: number, layer: number): DamageRequest => ({
      type: 'dent',
      radiusM: RADIUS_M,
      depthM: 0.02,
      elongation: 1,
      aim: { x, y, layer },
    });
    // The whole twin: the scratch test below compares pixels around its label.
    const request = renderRequest(job, config, urls, { amodal: true, pairs: true } as never);
    // A bare-metal scratch changes every pixel it covers, up to its edges.
    const scratch: DamageRequest = {
      type: 'scratch',
      lengthM: 0.3,
      widthM: 0.012,
      curvature: 0,
      layer: 'bare_metal',
      aim: { x: (3 * W) / 4, y: H / 2, layer: 0 },
    };
    request.damage = [dent(W / 2, H / 2, 0), dent(0, H / 2, 0), dent(W / 2, H / 2, 1), scratch];
    result = await page.render(request);
    labelsOnly = await page.render({ ...request, twin: 'labels' });
  }, 300_000);

  afterAll(async () => {
    await page?.close();
    await server.stop();
  });

  /** Image area of a labelled dent at `centre` on a surface with `normal`, from the pinhole model. */
  function expectedArea(centre: number[], normal: number[]): number {
    const v = result.camera.view;
    // Row vector times Babylon's view matrix: camera coordinates, +z forward.
    const cam = [0, 1, 2].map((j) => centre[0] * v[j] + centre[1] * v[4 + j] + centre[2] * v[8 + j] + v[12 + j]);
    const f = H / 2 / Math.tan(result.camera.fovY / 2);
    const eye = result.camera.position;
    const ray = centre.map((c, i) => c - eye[i]);
    const distance = Math.hypot(...ray);
    const facing = Math.abs(ray.reduce((s, r, i) => s + r * normal[i], 0)) / distance;
    const cosOffAxis = cam[2] / distance;
    // Labelled where the push-in (1 - rho^2)^2 exceeds the label fraction.
    const labelRadius = RADIUS_M * Math.sqrt(1 - Math.sqrt(LABEL_FRACTION));
    // A small patch of area A shows as A f^2 cos(facing) / (z^2 cos(off-axis)) pixels.
    return (Math.PI * labelRadius ** 2 * f * f * facing) / (cam[2] * cam[2] * cosOffAxis);
  }

  function labels() {
    const id = { width: W, height: H, data: flipRows(Buffer.from(result.id), W, H) };
    return annotateJob(id, result.placed, result.parts.length, { segmentation: 'rle', minVisiblePixels: 16 });
  }

  it('places all four where they were aimed', () => {
    expect(result.unplaced).toEqual([]);
    expect(result.placed.map((d) => d.index)).toEqual([0, 1, 2, 3]);
  });

  it('labels a dent in the open over the area the camera gives it, wholly visible', () => {
    const a = labels().annotations[0];
    const expected = expectedArea(result.placed[0].centre, result.placed[0].normal);
    expect(a.area / expected).toBeGreaterThan(0.88);
    expect(a.area / expected).toBeLessThan(1.12);
    expect(a.bbox[0]).toBeGreaterThan(0);
    expect(a.attributes.visible_fraction).toBeGreaterThan(0.99);
  });

  it('lines the label up with the pixels the scratch changed in the final, supersampled image', () => {
    // Shifting the label by a pixel in any direction covers fewer of the
    // pixels that differ from the undamaged twin than leaving it in place.
    expect(result.twin).not.toBeNull();
    const color = flipRows(Buffer.from(result.color), W, H);
    const twin = flipRows(Buffer.from(result.twin!), W, H);
    const id = flipRows(Buffer.from(result.id), W, H);
    const labelled = (x: number, y: number) => x >= 0 && y >= 0 && x < W && y < H && id[4 * (y * W + x) + 2] === 2 && id[4 * (y * W + x)] === 3;
    const changed: [number, number][] = [];
    const [bx, by, bw, bh] = labels().annotations[2].bbox;
    for (let y = by - 6; y < by + bh + 6; y++) {
      for (let x = bx - 6; x < bx + bw + 6; x++) {
        const p = 4 * (y * W + x);
        if ([0, 1, 2].some((c) => Math.abs(color[p + c] - twin[p + c]) > 3)) changed.push([x, y]);
      }
    }
    const covered = (dx: number, dy: number) => changed.filter(([x, y]) => labelled(x - dx, y - dy)).length;
    expect(changed.length).toBeGreaterThan(40);
    const inPlace = covered(0, 0);
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) if (dx || dy) expect(covered(dx, dy), `shift ${dx},${dy}`).toBeLessThan(inPlace);
    }
  });

  it('labels the in-frame half of a dent centred on the left border', () => {
    const a = labels().annotations[1];
    expect(a.bbox[0]).toBe(0);
    const whole = expectedArea(result.placed[1].centre, result.placed[1].normal);
    expect(Number(a.attributes.amodal_area) / whole).toBeGreaterThan(0.88);
    expect(Number(a.attributes.amodal_area) / whole).toBeLessThan(1.12);
    expect(a.attributes.visible_fraction).toBeGreaterThan(0.44);
    expect(a.attributes.visible_fraction).toBeLessThan(0.56);
  });

  it('counts unoccluded pixels within each damage\'s screen bounds, with no pass redrawn whole', () => {
    expect(result.amodalRedrawn).toBe(0);
    expect(labelsOnly.placed.map((d) => d.amodalPixels)).toEqual(result.placed.map((d) => d.amodalPixels));
  });

  it('draws the twin for the visibility check only around the labels, with the same pixels there as the whole twin', () => {
    expect(Buffer.from(labelsOnly.color).equals(result.color)).toBe(true);
    expect(Buffer.from(labelsOnly.id).equals(result.id)).toBe(true);
    const rects = labelsOnly.twinRects!;
    const area = rects.reduce((n, r) => n + r.width * r.height, 0);
    expect(area).toBeGreaterThan(0);
    expect(area).toBeLessThan((W * H) / 8);
    // Every damage pixel of the ID pass lies inside a rectangle (rows bottom-up, as sent).
    const id = Buffer.from(result.id);
    for (let p = 0; p < W * H; p++) {
      if (id[4 * p + 2] !== 2) continue;
      const [x, y] = [p % W, Math.floor(p / W)];
      expect(rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height), `damage pixel ${x},${y}`).toBe(true);
    }
    // Node lays them over the damaged image: the whole twin inside them, the damaged image outside.
    const twin = twinPixels(labelsOnly, Buffer.from(labelsOnly.color), W, H)!;
    const whole = Buffer.from(result.twin!);
    const color = Buffer.from(labelsOnly.color);
    let inside = 0;
    for (let p = 0; p < W * H; p++) {
      const [x, y] = [p % W, Math.floor(p / W)];
      const expected = rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) ? whole : color;
      if (expected === whole) inside++;
      expect(Buffer.from(twin.subarray(4 * p, 4 * p + 4)).equals(expected.subarray(4 * p, 4 * p + 4)), `pixel ${x},${y}`).toBe(true);
    }
    expect(inside).toBeGreaterThan(0);
  });

  it('does not label a dent on the far side, behind the near side of the car', () => {
    const job = labels();
    expect(job.hidden).toBe(1);
    expect(job.annotations.map((a) => a.category_id)).toEqual([1, 1, 2]);
    // It is on the other side: about a car's width further from the camera.
    const eye = result.camera.position;
    const range = (c: number[]) => Math.hypot(...c.map((v, i) => v - eye[i]));
    expect(range(result.placed[2].centre) - range(result.placed[0].centre)).toBeGreaterThan(1.2);
  });
});
