/**
 * lastUsedAt bookkeeping memory: records uses of 1,000,000 distinct key ids (against a storage
 * that accepts every write, and against one that is down) and reports the recorder's entries and
 * the process heap and RSS after each. Run with `npm run bench -- last-used`; figures go to
 * bench/results/last-used.json. For a steadier heap figure run with `NODE_OPTIONS=--expose-gc`.
 */
import type { StorageAdapter } from '../src/storage/storage-adapter.js';
import { LastUsedRecorder } from '../src/verify/last-used-recorder.js';
import { writeResults } from './report.js';

const DISTINCT_KEYS = 1_000_000;
const MB = 1024 * 1024;

interface Row {
  storage: 'up' | 'down';
  distinctKeys: number;
  recorderEntries: number;
  heapUsedMb: number;
  rssMb: number;
  recordsPerSec: number;
}

function storageThat(up: boolean): StorageAdapter {
  return {
    touchKeys: async () => {
      if (!up) throw new Error('storage is down');
    },
  } as unknown as StorageAdapter;
}

async function measure(up: boolean): Promise<Row> {
  const clock = { now: Date.now() };
  const recorder = new LastUsedRecorder({
    storage: storageThat(up),
    intervalMs: 60_000,
    clock: () => clock.now,
    onError: () => {},
  });
  const started = performance.now();
  for (let i = 0; i < DISTINCT_KEYS; i++) {
    recorder.record(`k${i.toString(36).padStart(15, '0')}`, clock.now);
    if (i % 20_000 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await recorder.flush().catch(() => {});
  const seconds = (performance.now() - started) / 1000;
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  recorder.stop();
  return {
    storage: up ? 'up' : 'down',
    distinctKeys: DISTINCT_KEYS,
    recorderEntries: recorder.size,
    heapUsedMb: Math.round((memory.heapUsed / MB) * 10) / 10,
    rssMb: Math.round((memory.rss / MB) * 10) / 10,
    recordsPerSec: Math.round(DISTINCT_KEYS / seconds),
  };
}

/** Runs the suite and writes bench/results/last-used.json. */
export async function run(): Promise<void> {
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage();
    const rows = [await measure(true), await measure(false)];
    console.table(rows);
    const path = writeResults('last-used', {
      baselineHeapUsedMb: Math.round((baseline.heapUsed / MB) * 10) / 10,
      baselineRssMb: Math.round((baseline.rss / MB) * 10) / 10,
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      rows,
    });
    console.log(`wrote ${path}`);
  } catch (error) {
    console.error('last-used benchmark failed:', error);
  }
}
