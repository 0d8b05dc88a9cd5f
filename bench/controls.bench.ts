/**
 * `npm run bench -- controls`: what each request control costs. First the controls alone (an IP
 * allowlist check, a rate-limit take on the memory limiter and on Redis), then `kw.verify` with
 * them on memory and SQLite storage (and the Redis limiter when `redis-server` is installed),
 * each next to plain `verify` at the same concurrency so the difference is the control's cost.
 * Writes bench/results/controls.json. Environment: BENCH_STORAGE=memory,sqlite, BENCH_SECONDS.
 */
import { Redis } from 'ioredis';
import { memoryAdapter } from '../adapters/memory/index.js';
import { nodeHasher } from '../adapters/node/index.js';
import { redisRateLimiter } from '../adapters/redis/index.js';
import type { ApiKey } from '../src/entries/storage.js';
import { createKeyward, type RateLimiter, type ServiceAccount } from '../src/index.js';
import { compileIpAllowlist } from '../src/request-controls/ip/ip-allowlist.js';
import { memoryRateLimiter } from '../src/request-controls/memory-rate-limiter.js';
import { findRedisServer, startRedisServer } from '../test/setup/redis-server.js';
import { measureSync, writeResults } from './report.js';
import { measureAsync } from './verify/measure-async.js';
import { adapterInsert, PREFIX, seedWorld } from './verify/seed-world.js';
import { sqlSetups } from './verify/sql-setups.js';
import type { OpenedStorage, StorageSetup } from './verify.bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const KEYS = 1_000;
/** Ten blocks, the client's in the last one: a list a host would really write. */
const ALLOWLIST = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '2001:db8::/32',
  'fd00::/8',
  '198.51.100.0/24',
  '192.0.2.0/24',
  '2001:db8:1::/48',
  '203.0.113.0/24',
];
const CLIENT = '203.0.113.7';
/** A limit no benchmark reaches: every request takes a token and passes. */
const UNREACHED = [{ name: 'default', limit: 1_000_000, windowMs: 1_000 }];

/** One figure. */
interface ControlsRow {
  what: string;
  storage: 'none' | 'memory' | 'sqlite';
  limiter: 'none' | 'memory' | 'redis';
  concurrency: number;
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
  /** p50 minus the p50 of plain verify on the same storage and concurrency. */
  overPlainP50Us?: number;
}

/** A verify case: the fields seeded on every account and key, and the limiter. */
interface VerifyCase {
  readonly what: string;
  readonly account?: Partial<ServiceAccount> | undefined;
  readonly key?: Partial<ApiKey> | undefined;
  readonly limiter: 'none' | 'memory' | 'redis';
}

const CASES: readonly VerifyCase[] = [
  { what: 'plain verify', limiter: 'none' },
  { what: '+ IP allowlist (10 blocks, account)', account: { ipAllowlist: ALLOWLIST }, limiter: 'none' },
  { what: '+ rate limit (memory limiter)', key: { rateLimits: UNREACHED }, limiter: 'memory' },
  { what: '+ rate limit (Redis limiter)', key: { rateLimits: UNREACHED }, limiter: 'redis' },
  {
    what: '+ IP allowlist + rate limit (memory)',
    account: { ipAllowlist: ALLOWLIST },
    key: { rateLimits: UNREACHED },
    limiter: 'memory',
  },
  {
    what: '+ usage credits (a storage write per request)',
    key: { credits: { remaining: 1e12, refill: null, refilledAt: null } },
    limiter: 'none',
  },
];

const round = (value: number) => Math.round(value * 100) / 100;

function print(row: ControlsRow): void {
  const over = row.overPlainP50Us === undefined ? '' : `  (+${row.overPlainP50Us} us over plain)`;
  console.log(
    `${row.what.padEnd(46)} ${row.storage.padEnd(7)} ${row.limiter.padEnd(7)} c=${String(row.concurrency).padStart(2)} ${String(row.opsPerSec).padStart(9)}/s  p50 ${row.p50Us} us  p99 ${row.p99Us} us${over}`,
  );
}

/** The controls alone, without verify around them. */
async function controlsAlone(redis: Redis | null): Promise<ControlsRow[]> {
  const rows: ControlsRow[] = [];
  const allowlist = compileIpAllowlist(ALLOWLIST);
  const sync = measureSync((i) => allowlist.allows(i % 2 === 0 ? CLIENT : `::ffff:${CLIENT}`), {
    seconds: SECONDS,
    batch: 10_000,
  });
  rows.push({
    what: 'IP allowlist check alone (10 blocks)',
    storage: 'none',
    limiter: 'none',
    concurrency: 1,
    ...sync,
  });
  const limiters: [RateLimiter, ControlsRow['limiter'], number[]][] = [[memoryRateLimiter(), 'memory', [1]]];
  if (redis !== null) limiters.push([redisRateLimiter({ client: redis }), 'redis', [1, 32]]);
  for (const [limiter, name, concurrencies] of limiters) {
    for (const concurrency of concurrencies) {
      const figures = await measureAsync(
        (i) =>
          limiter.take(
            [{ bucket: `k:bench${i % 1000}:default`, limit: 1_000_000, windowMs: 1_000, cost: 1 }],
            Date.now(),
          ),
        { seconds: SECONDS, concurrency },
      );
      rows.push({
        what: 'rate-limit take alone (1 bucket)',
        storage: 'none',
        limiter: name,
        concurrency,
        ...figures,
      });
    }
  }
  return rows;
}

/** Verify with each case on one storage, at each concurrency. */
async function verifyCases(
  setup: StorageSetup,
  redis: Redis | null,
  report: boolean,
): Promise<ControlsRow[]> {
  const rows: ControlsRow[] = [];
  const plainP50 = new Map<number, number>();
  for (const testCase of CASES) {
    if (testCase.limiter === 'redis' && redis === null) continue;
    const concurrencies = testCase.limiter === 'redis' || testCase.what === 'plain verify' ? [1, 32] : [1];
    const opened: OpenedStorage = await setup.open();
    const world = await seedWorld({
      keysStored: KEYS,
      sampleSize: KEYS,
      insert: opened.insert,
      fields: {
        ...(testCase.account === undefined ? {} : { account: testCase.account }),
        ...(testCase.key === undefined ? {} : { key: testCase.key }),
      },
    });
    await opened.afterSeed?.();
    const limiter =
      testCase.limiter === 'redis' && redis !== null
        ? redisRateLimiter({ client: redis, keyPrefix: `keyward:bench:${Date.now()}:` })
        : memoryRateLimiter();
    const kw = createKeyward({
      storage: opened.storage,
      tokenPrefix: PREFIX,
      hasher: nodeHasher,
      rateLimits: { limiter },
    });
    const request = {
      action: 'datasets:read' as const,
      resource: { tenantId: world.tenantId, workspaceId: world.workspaceId, datasetId: 'd_1' },
      ip: CLIENT,
    };
    const check = await kw.verify(world.tokens[0], request);
    if (!check.ok) throw new Error(`bench world broken: ${check.code}`);
    for (const concurrency of concurrencies) {
      const figures = await measureAsync((i) => kw.verify(world.tokens[i % world.tokens.length], request), {
        seconds: report ? SECONDS : SECONDS / 4,
        concurrency,
      });
      const row: ControlsRow = {
        what: testCase.what,
        storage: setup.storage as ControlsRow['storage'],
        limiter: testCase.limiter,
        concurrency,
        ...figures,
      };
      if (testCase.what === 'plain verify') plainP50.set(concurrency, figures.p50Us);
      else {
        const plain = plainP50.get(concurrency);
        if (plain !== undefined) row.overPlainP50Us = round(figures.p50Us - plain);
      }
      if (report) print(row);
      rows.push(row);
    }
    await kw.close();
    await opened.close();
  }
  return rows;
}

/** Runs the controls benchmark; a missing redis-server skips the Redis rows, never the run. */
export async function run(): Promise<void> {
  const program = await findRedisServer();
  const server = program === null ? null : await startRedisServer(program);
  if (server === null) console.log('redis-server not found: the Redis rows are skipped');
  const redis = server === null ? null : new Redis(server.url, { lazyConnect: false });
  try {
    const rows = await controlsAlone(redis);
    for (const row of rows) print(row);
    const only = process.env.BENCH_STORAGE?.split(',') ?? ['memory', 'sqlite'];
    const memory: StorageSetup = {
      storage: 'memory',
      keysStored: [KEYS],
      concurrency: 1,
      async open() {
        const storage = memoryAdapter();
        return { storage, insert: adapterInsert(storage), close: async () => {} };
      },
    };
    const setups = [memory, ...(await sqlSetups())].filter(
      (setup) => setup.storage !== 'postgres' && only.includes(setup.storage),
    );
    for (const setup of setups) {
      // A first round warms the JIT for every path; only the second is kept.
      await verifyCases(setup, redis, false);
      rows.push(...(await verifyCases(setup, redis, true)));
    }
    console.log(`wrote ${writeResults('controls', { keysStored: KEYS, seconds: SECONDS, rows })}`);
  } finally {
    redis?.disconnect();
    await server?.stop();
  }
}
