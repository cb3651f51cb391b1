/**
 * How many workers a run starts when none is asked for: one more than the
 * CPU cores, as many as memory allows. SwiftShader spreads one page over the
 * cores, yet a page also waits (readback, transfer, Node's share of a job);
 * in the worker sweeps of `npm run bench` (BENCHMARKS.md) on two cores,
 * three workers have been within 10% of the best rate, two once fell short.
 */
import { cpus, totalmem } from 'node:os';

/** Memory a worker's browser may use at its peak, with room for Node and the system. */
const BYTES_PER_WORKER = 1024 ** 3;
const RESERVED_BYTES = 2 * 1024 ** 3;

export function defaultWorkers(cores = cpus().length, memory = totalmem()): number {
  const byMemory = Math.floor((memory - RESERVED_BYTES) / BYTES_PER_WORKER);
  return Math.max(1, Math.min(cores + 1, byMemory));
}
