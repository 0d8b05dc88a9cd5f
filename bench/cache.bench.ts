/**
 * `npm run bench -- cache`: the verification cache's memory under many distinct keys. Seeds
 * 1,000,000 keys into SQLite (CACHE_BENCH_KEYS), verifies every one of them once with the cache
 * on (default bounds: 100,000 rows), and reports the heap and RSS before and after, and
 * verifications/s. A cache without a bound would hold a decoded row per key (several GB here).
 * Run with `NODE_OPTIONS=--expose-gc` for heap figures after a full collection. Writes
 * bench/results/cache.json.
 */
import { nodeHasher } from '../adapters/node/index.js';
import { createKeyward } from '../src/index.js';
import { writeResults } from './report.js';
import { PREFIX, seedWorld } from './verify/seed-world.js';
import { sqlSetups } from './verify/sql-setups.js';

const KEYS = Number(process.env.CACHE_BENCH_KEYS ?? 1_000_000);
const MB = 1024 * 1024;

function memory(): { heapMb: number; rssMb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { heapMb: Math.round(usage.heapUsed / MB), rssMb: Math.round(usage.rss / MB) };
}

/** Runs the cache memory benchmark. */
export async function run(): Promise<void> {
  const [sqlite] = await sqlSetups();
  if (sqlite === undefined) throw new Error('no SQLite setup');
  const opened = await sqlite.open();
  try {
    const seededAt = performance.now();
    const world = await seedWorld({ keysStored: KEYS, sampleSize: KEYS, insert: opened.insert });
    console.log(`seeded ${KEYS} keys in ${Math.round(performance.now() - seededAt)} ms`);
    const kw = createKeyward({ storage: opened.storage, tokenPrefix: PREFIX, hasher: nodeHasher, cache: {} });
    const request = {
      action: 'datasets:read' as const,
      resource: { tenantId: world.tenantId, workspaceId: world.workspaceId, datasetId: 'd_1' },
    };
    const before = memory();
    const started = performance.now();
    let refused = 0;
    for (const token of world.tokens) if (!(await kw.verify(token, request)).ok) refused++;
    const seconds = (performance.now() - started) / 1000;
    const after = memory();
    await kw.close();
    const row = {
      distinctKeysVerified: world.tokens.length,
      refused,
      maxEntries: 100_000,
      verificationsPerSec: Math.round(world.tokens.length / seconds),
      before,
      after,
      heapGrowthMb: after.heapMb - before.heapMb,
    };
    console.log(
      `${row.distinctKeysVerified} distinct keys verified at ${row.verificationsPerSec}/s: heap ${before.heapMb} -> ${after.heapMb} MB, RSS ${before.rssMb} -> ${after.rssMb} MB (refused ${refused})`,
    );
    console.log(`wrote ${writeResults('cache', row)}`);
  } finally {
    await opened.close();
    await sqlite.finish?.();
  }
}
