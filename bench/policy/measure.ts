import { percentile, round } from '../report.js';

/** Throughput and latency of one engine on one request mix. */
export interface Measurement {
  readonly decisionsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/** One engine to time: its decision function, its pre-encoded requests and its batch sizes. */
export interface Contender<E = unknown> {
  readonly decide: (encoded: E) => boolean;
  readonly requests: readonly E[];
  /** Decisions per latency sample (1 = per decision; a mean over `batch` below timer resolution). */
  readonly batch: number;
  /** Decisions between clock reads in the throughput loop. */
  readonly chunk: number;
}

/**
 * Times the contenders in interleaved rounds, so that a burst of load on the machine hits every
 * engine alike: each round gives every contender a throughput window (no timer inside the loop)
 * and a latency window (timed batches). Throughput is the median over rounds; p50/p99 come from
 * all latency samples. Requests are cycled in order.
 */
export function measureRounds(contenders: readonly Contender[], seconds: number, rounds = 3): Measurement[] {
  const runners = contenders.map(runner);
  for (const run of runners) {
    const until = performance.now() + 300;
    while (performance.now() < until) run(1);
  }
  const rates: number[][] = contenders.map(() => []);
  const samples: number[][] = contenders.map(() => []);
  const window = (seconds * 1000) / rounds;
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, i) => {
      const run = runners[i]!;
      let done = 0;
      const started = performance.now();
      while (performance.now() - started < window * 0.6) done += run(c.chunk);
      rates[i]!.push(done / ((performance.now() - started) / 1000));
      const latencyUntil = performance.now() + window * 0.4;
      while (performance.now() < latencyUntil) {
        const t0 = performance.now();
        run(c.batch);
        samples[i]!.push(((performance.now() - t0) * 1000) / c.batch);
      }
    });
  }
  return contenders.map((_, i) => {
    const sorted = samples[i]!.sort((a, b) => a - b);
    return {
      decisionsPerSec: Math.round(median(rates[i]!)),
      p50Us: round(percentile(sorted, 50)),
      p99Us: round(percentile(sorted, 99)),
    };
  });
}

function runner(c: Contender): (count: number) => number {
  let i = 0;
  let sink = 0;
  const n = c.requests.length;
  return (count) => {
    for (let j = 0; j < count; j++) {
      if (c.decide(c.requests[i]!)) sink++;
      i = i + 1 === n ? 0 : i + 1;
    }
    return sink >= 0 ? count : 0;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
