import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** The machine a figure was measured on. */
export function machine(): { node: string; cpu: string } {
  return { node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}` };
}

/** Writes `{ node, cpu, ...body }` to `bench/results/<name>.json` and returns the path. */
export function writeResults(name: string, body: Record<string, unknown>): string {
  const path = join(RESULTS_DIR, `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `${JSON.stringify({ ...machine(), measuredAt: new Date().toISOString(), ...body }, null, 2)}\n`,
  );
  return path;
}

/** Percentile (0-100) of an ascending-sorted array. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * Measures a synchronous operation: runs `op(i)` in batches for about `seconds`, after a warm-up,
 * and returns ops/s plus p50/p99 of per-batch mean latency in microseconds.
 */
export function measureSync(
  op: (i: number) => unknown,
  options: { seconds?: number; batch?: number } = {},
): { opsPerSec: number; p50Us: number; p99Us: number } {
  const seconds = options.seconds ?? 2;
  const batch = options.batch ?? 1000;
  let i = 0;
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) for (let j = 0; j < batch; j++) op(i++);
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  let total = 0;
  const started = performance.now();
  while (performance.now() < end) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) op(i++);
    samples.push(((performance.now() - t0) * 1000) / batch);
    total += batch;
  }
  const elapsed = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    opsPerSec: Math.round(total / elapsed),
    p50Us: round(percentile(samples, 50)),
    p99Us: round(percentile(samples, 99)),
  };
}

/** Rounds to 3 significant decimals. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
