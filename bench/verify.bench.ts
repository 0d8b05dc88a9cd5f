/**
 * `npm run bench -- verify`: verifications/s and p50/p99 of `kw.verify` for valid and malformed
 * tokens, per storage and hasher, with the number of stored keys and the concurrency used.
 * Writes bench/results/verify.json. Environment: BENCH_STORAGE=memory,sqlite,postgres to pick
 * storages, BENCH_KEYS=1000 to override the sizes (smoke runs), BENCH_SECONDS per case.
 */
import { memoryAdapter } from '../adapters/memory/index.js';
import { nodeHasher } from '../adapters/node/index.js';
import { nobleHasher } from '../src/entries/keys.js';
import { createKeyward, type Hasher, type Keyward, type StorageAdapter } from '../src/index.js';
import { writeResults } from './report.js';
import { measureAsync } from './verify/measure-async.js';
import { adapterInsert, type InsertBatch, PREFIX, type SeededWorld, seedWorld } from './verify/seed-world.js';
import { sqlSetups } from './verify/sql-setups.js';

/** One result row (the shape docs and the issue fix). */
export interface VerifyRow {
  storage: 'memory' | 'sqlite' | 'postgres';
  hasher: 'noble' | 'node';
  case: 'valid' | 'malformed';
  keysStored: number;
  concurrency: number;
  verificationsPerSec: number;
  p50Us: number;
  p99Us: number;
}

/** A fresh, empty storage to seed and measure. */
export interface OpenedStorage {
  readonly storage: StorageAdapter;
  readonly insert: InsertBatch;
  /** Runs after seeding (e.g. ANALYZE). */
  afterSeed?(): Promise<void>;
  close(): Promise<void>;
}

/** A storage to measure, at which sizes and concurrency. */
export interface StorageSetup {
  readonly storage: VerifyRow['storage'];
  readonly keysStored: readonly number[];
  readonly concurrency: number;
  open(): Promise<OpenedStorage>;
  /** Runs once after every size was measured (e.g. stop a server). */
  finish?(): Promise<void>;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const HASHERS: readonly Hasher[] = [nobleHasher, nodeHasher];

const memorySetup: StorageSetup = {
  storage: 'memory',
  keysStored: [1_000, 100_000],
  concurrency: 1,
  async open() {
    const storage = memoryAdapter();
    return { storage, insert: adapterInsert(storage), close: async () => {} };
  },
};

/** Runs the verify benchmark. */
export async function run(): Promise<void> {
  const only = process.env.BENCH_STORAGE?.split(',');
  const setups = [memorySetup, ...(await sqlSetups())].filter(
    (setup) => !only || only.includes(setup.storage),
  );
  const rows: VerifyRow[] = [];
  for (const setup of setups) {
    const sizes = process.env.BENCH_KEYS ? process.env.BENCH_KEYS.split(',').map(Number) : setup.keysStored;
    for (const keysStored of sizes) {
      const opened = await setup.open();
      const seededAt = performance.now();
      const world = await seedWorld({ keysStored, sampleSize: 1_000, insert: opened.insert });
      await opened.afterSeed?.();
      console.log(
        `${setup.storage}: seeded ${keysStored} keys in ${Math.round(performance.now() - seededAt)} ms`,
      );
      for (const hasher of HASHERS) {
        // Cold reads: every verification goes to storage (the cached path is measured elsewhere).
        const kw = createKeyward({ storage: opened.storage, tokenPrefix: PREFIX, hasher, cache: false });
        for (const kind of ['valid', 'malformed'] as const) {
          rows.push(await measureCase(kw, world, kind, { setup, hasher, keysStored }));
        }
        await kw.flush();
      }
      await opened.close();
    }
    await setup.finish?.();
  }
  console.log(`wrote ${writeResults('verify', { rows })}`);
}

async function measureCase(
  kw: Keyward,
  world: SeededWorld,
  kind: VerifyRow['case'],
  at: { setup: StorageSetup; hasher: Hasher; keysStored: number },
): Promise<VerifyRow> {
  const tokens = kind === 'valid' ? world.tokens : world.malformed;
  const request = {
    action: 'datasets:read',
    resource: { tenantId: world.tenantId, workspaceId: world.workspaceId, datasetId: 'd_1' },
  };
  for (const token of tokens) {
    const check = await kw.verify(token, request);
    if (check.ok !== (kind === 'valid'))
      throw new Error(`bench world broken: a ${kind} token answered ${JSON.stringify(check)}`);
  }
  const figures = await measureAsync((i) => kw.verify(tokens[i % tokens.length], request), {
    seconds: SECONDS,
    concurrency: at.setup.concurrency,
  });
  const row: VerifyRow = {
    storage: at.setup.storage,
    hasher: at.hasher.name as VerifyRow['hasher'],
    case: kind,
    keysStored: at.keysStored,
    concurrency: at.setup.concurrency,
    verificationsPerSec: figures.opsPerSec,
    p50Us: figures.p50Us,
    p99Us: figures.p99Us,
  };
  console.log(
    `${row.storage.padEnd(8)} ${row.hasher.padEnd(5)} ${row.case.padEnd(9)} keys=${String(row.keysStored).padStart(9)} c=${String(row.concurrency).padStart(2)}  ${String(row.verificationsPerSec).padStart(9)}/s  p50 ${row.p50Us} us  p99 ${row.p99Us} us`,
  );
  return row;
}
