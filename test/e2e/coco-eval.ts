/**
 * COCO average precision computed the way pycocotools' COCOeval computes it
 * (evaluateImg and accumulate, area range "all", 100 detections per image
 * and category, IoU thresholds 0.50 to 0.95, 101 recall points), written
 * separately from src/ so tests can score a written dataset with the
 * reference rules. Segmentations must be compressed RLE.
 */
import { maskFromRle } from './coco-reference';

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: { size: [number, number]; counts: string };
  area: number;
  bbox: number[];
  iscrowd: 0 | 1;
  score?: number;
}

const IOU_THRESHOLDS = Array.from({ length: 10 }, (_, i) => 0.5 + 0.05 * i);
const RECALL_POINTS = Array.from({ length: 101 }, (_, i) => i / 100);
const MAX_DETECTIONS = 100;

/** pycocotools' iou for one pair: a crowd ground truth counts against the detection's own area. */
function maskIou(d: Uint8Array, g: Uint8Array, crowd: boolean): number {
  let inter = 0;
  let da = 0;
  let ga = 0;
  for (let p = 0; p < d.length; p++) {
    da += d[p];
    ga += g[p];
    inter += d[p] & g[p];
  }
  const union = crowd ? da : da + ga - inter;
  return union === 0 ? 0 : inter / union;
}

function boxIou(d: number[], g: number[], crowd: boolean): number {
  const w = Math.min(d[0] + d[2], g[0] + g[2]) - Math.max(d[0], g[0]);
  const h = Math.min(d[1] + d[3], g[1] + g[3]) - Math.max(d[1], g[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = crowd ? d[2] * d[3] : d[2] * d[3] + g[2] * g[3] - inter;
  return inter / union;
}

interface ImageResult {
  dtScores: number[];
  dtMatched: boolean[][];
  dtIgnored: boolean[][];
  gtIgnored: boolean[];
}

function evaluateImage(gts: CocoAnnotation[], dts: CocoAnnotation[], kind: 'segm' | 'bbox'): ImageResult {
  // Ground truth: not ignored first; detections: best score first, stable.
  const g = [...gts].sort((a, b) => a.iscrowd - b.iscrowd);
  const d = dts
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (b.x.score ?? 1) - (a.x.score ?? 1) || a.i - b.i)
    .slice(0, MAX_DETECTIONS)
    .map((e) => e.x);
  const gMasks = kind === 'segm' ? g.map((a) => maskFromRle(a.segmentation.size, a.segmentation.counts)) : [];
  const dMasks = kind === 'segm' ? d.map((a) => maskFromRle(a.segmentation.size, a.segmentation.counts)) : [];
  const ious = d.map((dt, i) =>
    g.map((gt, j) => (kind === 'segm' ? maskIou(dMasks[i], gMasks[j], gt.iscrowd === 1) : boxIou(dt.bbox, gt.bbox, gt.iscrowd === 1))),
  );
  const gtIgnored = g.map((a) => a.iscrowd === 1);
  const dtMatched = IOU_THRESHOLDS.map(() => d.map(() => false));
  const dtIgnored = IOU_THRESHOLDS.map(() => d.map(() => false));
  IOU_THRESHOLDS.forEach((t, ti) => {
    const gtTaken = g.map(() => false);
    d.forEach((_, di) => {
      let best = Math.min(t, 1 - 1e-10);
      let m = -1;
      for (let gi = 0; gi < g.length; gi++) {
        if (gtTaken[gi] && !g[gi].iscrowd) continue;
        if (m > -1 && !gtIgnored[m] && gtIgnored[gi]) break;
        if (ious[di][gi] < best) continue;
        best = ious[di][gi];
        m = gi;
      }
      if (m === -1) return;
      dtIgnored[ti][di] = gtIgnored[m];
      dtMatched[ti][di] = true;
      gtTaken[m] = true;
    });
  });
  return { dtScores: d.map((a) => a.score ?? 1), dtMatched, dtIgnored, gtIgnored };
}

/** AP over IoU 0.50:0.95 (COCO's headline number), or -1 when no category has ground truth. */
export function cocoAveragePrecision(gts: CocoAnnotation[], dts: CocoAnnotation[], kind: 'segm' | 'bbox'): number {
  const key = (a: CocoAnnotation) => `${a.image_id}/${a.category_id}`;
  const categories = [...new Set([...gts, ...dts].map((a) => a.category_id))].sort((a, b) => a - b);
  const images = [...new Set([...gts, ...dts].map((a) => a.image_id))].sort((a, b) => a - b);
  const group = (list: CocoAnnotation[]) => {
    const m = new Map<string, CocoAnnotation[]>();
    for (const a of list) m.set(key(a), [...(m.get(key(a)) ?? []), a]);
    return m;
  };
  const gBy = group(gts);
  const dBy = group(dts);
  const precisions: number[] = [];
  for (const c of categories) {
    const results = images.map((i) => evaluateImage(gBy.get(`${i}/${c}`) ?? [], dBy.get(`${i}/${c}`) ?? [], kind));
    const relevant = results.filter((r) => r.dtScores.length || r.gtIgnored.length);
    const positives = relevant.reduce((n, r) => n + r.gtIgnored.filter((x) => !x).length, 0);
    if (positives === 0) continue;
    const order = relevant
      .flatMap((r, ri) => r.dtScores.map((s, di) => ({ s, ri, di })))
      .map((e, i) => ({ ...e, i }))
      .sort((a, b) => b.s - a.s || a.i - b.i);
    IOU_THRESHOLDS.forEach((_, ti) => {
      let tp = 0;
      let fp = 0;
      const recall: number[] = [];
      const precision: number[] = [];
      for (const { ri, di } of order) {
        const r = relevant[ri];
        if (r.dtIgnored[ti][di]) continue;
        if (r.dtMatched[ti][di]) tp++;
        else fp++;
        recall.push(tp / positives);
        precision.push(tp / (tp + fp + Number.EPSILON));
      }
      for (let i = precision.length - 1; i > 0; i--) precision[i - 1] = Math.max(precision[i - 1], precision[i]);
      for (const point of RECALL_POINTS) {
        // searchsorted(recall, point, side="left")
        let k = 0;
        while (k < recall.length && recall[k] < point) k++;
        precisions.push(k < precision.length ? precision[k] : 0);
      }
    });
  }
  return precisions.length === 0 ? -1 : precisions.reduce((a, b) => a + b, 0) / precisions.length;
}
