import { percentile, round } from '../report.js';

/** Throughput and latency of an async operation. */
export interface AsyncFigures {
  readonly opsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/**
 * Runs `op(i)` from `concurrency` loops: a warm-up, a throughput pass of `seconds` without
 * per-call timing (so sub-microsecond calls are not dominated by the clock), then a latency
 * pass of half as long that times every call for p50/p99.
 */
export async function measureAsync(
  op: (i: number) => Promise<unknown>,
  options: { readonly seconds: number; readonly concurrency: number; readonly warmupSeconds?: number },
): Promise<AsyncFigures> {
  let counter = 0;
  const runFor = async (ms: number, samples: number[] | null): Promise<number> => {
    const end = performance.now() + ms;
    let done = 0;
    const loop = async () => {
      while (performance.now() < end) {
        if (samples === null) {
          // Check the clock once per 64 calls only.
          for (let j = 0; j < 64; j++) await op(counter++);
          done += 64;
        } else {
          const t0 = performance.now();
          await op(counter++);
          samples.push((performance.now() - t0) * 1000);
          done++;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, loop));
    return done;
  };
  await runFor((options.warmupSeconds ?? 0.5) * 1000, null);
  const started = performance.now();
  const done = await runFor(options.seconds * 1000, null);
  const elapsed = (performance.now() - started) / 1000;
  const samples: number[] = [];
  await runFor((options.seconds * 1000) / 2, samples);
  samples.sort((a, b) => a - b);
  return {
    opsPerSec: Math.round(done / elapsed),
    p50Us: round(percentile(samples, 50)),
    p99Us: round(percentile(samples, 99)),
  };
}
