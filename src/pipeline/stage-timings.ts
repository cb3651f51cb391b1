/**
 * Where a run's time went, job by job and stage by stage, for summary.json's
 * `stage_ms`. Timings stay out of every job record and of annotations.json:
 * two runs of one config must write the same bytes however fast they went.
 */
import type { RenderTimings } from '../protocol';

/** The Node side of a job after its pixels arrive, milliseconds. */
export interface FinishTimings {
  /** Base64 to bytes and rows flipped top-down, every buffer of the job. */
  decodeMs: number;
  /** Masks, visibility against the twin, RLE or polygons, part labels. */
  annotateMs: number;
  /** Camera degradations and image encoding (sharp), twin included. */
  encodeMs: number;
  /** The image files written (atomic rename included). */
  writeMs: number;
  /** The job record under jobs/. */
  recordMs: number;
}

type JobTimings = RenderTimings & FinishTimings;

/** summary.json's stage names, in pipeline order, and where each comes from. */
const STAGES: [string, keyof JobTimings][] = [
  ['car_load', 'loadMs'],
  ['scene_setup', 'setupMs'],
  ['color_render', 'colorRenderMs'],
  ['color_readback', 'colorReadMs'],
  ['id_pass', 'idMs'],
  ['amodal', 'amodalMs'],
  ['twin', 'twinMs'],
  ['part_masks', 'partsMs'],
  ['page_pack', 'packMs'],
  ['page_total', 'totalMs'],
  ['transfer', 'transferMs'],
  ['decode', 'decodeMs'],
  ['annotate', 'annotateMs'],
  ['encode', 'encodeMs'],
  ['write', 'writeMs'],
  ['record', 'recordMs'],
];

/** The median of `values` (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A lap timer: each call returns the milliseconds since the previous call, or since it was made. */
export function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return ms;
  };
}

/** Collects each finished job's timings; `medians` gives summary.json's `stage_ms`. */
export class StageTimings {
  private readonly jobs: JobTimings[] = [];

  add(job: JobTimings): void {
    this.jobs.push(job);
  }

  /**
   * Median milliseconds per stage over the jobs rendered in this run (resumed
   * ones have no timings), plus `job_total`, the median of each job's page
   * time, transfer and Node stages added up, and `jobs`, how many were timed.
   * Medians of parts need not add up to the median of the whole.
   */
  medians(): Record<string, number> {
    if (this.jobs.length === 0) return { jobs: 0 };
    const out: Record<string, number> = { jobs: this.jobs.length };
    for (const [name, key] of STAGES) out[name] = round(median(this.jobs.map((j) => j[key] ?? 0)));
    const totals = this.jobs.map((j) => j.totalMs + (j.transferMs ?? 0) + j.decodeMs + j.annotateMs + j.encodeMs + j.writeMs + j.recordMs);
    out.job_total = round(median(totals));
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
