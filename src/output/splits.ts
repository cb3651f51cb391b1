/**
 * Dataset splits by a hash of each job's key: a job's split never changes
 * across re-runs, shards or added models, because it depends on nothing
 * but its own key.
 */
import { DentfarmError } from '../errors';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeAtomic } from './write-atomic';

export interface Split {
  name: string;
  /** Share of the jobs, 0 to 1; the shares add up to 1. */
  share: number;
}

/** Parses "train=0.8,val=0.1,test=0.1". */
export function parseSplits(text: string): Split[] {
  const splits = text.split(',').map((part) => {
    const m = /^([a-z][a-z0-9_-]*)=([0-9]*\.?[0-9]+)$/i.exec(part.trim());
    if (!m) throw new DentfarmError('USAGE', `--split ${text}: "${part}" is not NAME=SHARE; fix: pass e.g. --split train=0.8,val=0.1,test=0.1`);
    return { name: m[1], share: Number(m[2]) };
  });
  const total = splits.reduce((s, p) => s + p.share, 0);
  if (Math.abs(total - 1) > 1e-9) throw new DentfarmError('USAGE', `--split ${text}: the shares add up to ${total}, not 1; fix: make them add up to 1`);
  if (new Set(splits.map((s) => s.name)).size !== splits.length) throw new DentfarmError('USAGE', `--split ${text}: a split is named twice`);
  return splits;
}

/** The split of a job key: its hash, as a number in [0, 1), falls in one share. */
export function splitOf(key: string, splits: readonly Split[]): string {
  const u = createHash('sha256').update(key).digest().readUInt32BE(0) / 4294967296;
  let edge = 0;
  for (const split of splits) {
    edge += split.share;
    if (u < edge) return split.name;
  }
  return splits[splits.length - 1].name;
}

/** File of one split's annotations next to annotations.json. */
export function splitFileName(name: string): string {
  return `annotations_${name}.json`;
}

/**
 * Writes one COCO file per split beside annotations.json: the images of
 * that split (by `images[].dentfarm.key`) and their annotations, ids kept.
 * Returns the image count per split.
 */
export async function writeSplits(outDir: string, dataset: Record<string, unknown>, splits: readonly Split[]): Promise<Record<string, number>> {
  const images = dataset.images as { id: number; dentfarm: { key: string } }[];
  const annotations = dataset.annotations as { image_id: number }[];
  const counts: Record<string, number> = {};
  for (const split of splits) {
    const chosen = images.filter((i) => splitOf(i.dentfarm.key, splits) === split.name);
    const ids = new Set(chosen.map((i) => i.id));
    const part = { ...dataset, images: chosen, annotations: annotations.filter((a) => ids.has(a.image_id)) };
    await writeAtomic(join(outDir, splitFileName(split.name)), `${JSON.stringify(part)}\n`);
    counts[split.name] = chosen.length;
  }
  return counts;
}
