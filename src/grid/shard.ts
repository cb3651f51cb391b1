/**
 * Shards: a fixed, disjoint slice of the job grid for one of N machines.
 * Job i belongs to shard i mod N, so every shard gets a share of every
 * model and axis, and a job's output does not depend on its shard (its id,
 * seed and file name come from the global grid).
 */
import { DentfarmError } from '../errors';

export interface Shard {
  /** 0 to count - 1. */
  index: number;
  count: number;
}

/** Where a cluster's job engine puts the index of an array task. */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

/**
 * The shard of `--shard I/N`, or of `--shards N` with the index from the
 * environment of a Kubernetes Indexed Job or an AWS Batch array job.
 */
export function resolveShard(shard: string | undefined, shards: number | undefined, env: NodeJS.ProcessEnv): Shard | null {
  if (shard !== undefined && shards !== undefined) {
    throw new DentfarmError('USAGE', '--shard and --shards both given; fix: pass --shard I/N, or --shards N with the index in the environment');
  }
  if (shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    if (!m) throw new DentfarmError('USAGE', `--shard ${shard}: expected I/N, e.g. 0/4 for the first of four shards`);
    return checked(Number(m[1]), Number(m[2]), `--shard ${shard}`);
  }
  if (shards === undefined) return null;
  const name = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
  if (!name) {
    throw new DentfarmError('USAGE', `--shards ${shards}: no shard index in the environment (${SHARD_INDEX_VARIABLES.join(' or ')}); fix: run it as an indexed or array job, or pass --shard I/N`);
  }
  const value = env[name]!;
  if (!/^\d+$/.test(value)) throw new DentfarmError('USAGE', `${name}=${value}: expected a whole number, the shard index from 0`);
  return checked(Number(value), shards, `${name}=${value} with --shards ${shards}`);
}

function checked(index: number, count: number, what: string): Shard {
  if (!Number.isInteger(count) || count < 1) throw new DentfarmError('USAGE', `${what}: the shard count must be a whole number of at least 1`);
  if (index >= count) throw new DentfarmError('USAGE', `${what}: shard index ${index} is not below the count ${count}; indices run from 0 to ${count - 1}`);
  return { index, count };
}

export function inShard(jobIndex: number, shard: Shard | null): boolean {
  return shard === null || jobIndex % shard.count === shard.index;
}
