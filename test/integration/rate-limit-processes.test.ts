import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest } from '../../adapters/kysely/index.js';
import type { RateLimitCheck } from '../../src/request-controls/rate-limiter.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres, openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { spawnLineChild } from '../support/line-child.js';
import { bundleWorker, type WorkerBundle } from './fixtures/worker-bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The child, bundled once into plain JavaScript: 4 processes compiling TypeScript each (tsx)
// would spend seconds starting on a busy machine.
let bundle: WorkerBundle | undefined;
beforeAll(async () => {
  bundle = await bundleWorker(new URL('./fixtures/rate-limit-child.ts', import.meta.url));
});
afterAll(() => bundle?.remove());

/** 50 takes shared by 4 processes, all fired at once. */
const SHARES = [13, 13, 12, 12] as const;
const WINDOW_MS = 60_000;

/** What one child reports for a round. */
interface RoundReport {
  readonly allowed: number;
  readonly refused: number;
  readonly failed: readonly string[];
}

/** A child process (fixtures/rate-limit-child.ts) holding its own limiter on the shared store. */
interface LimiterProcess {
  readonly ready: Promise<void>;
  /** Sends a round; resolves with the child's report. */
  round(takes: number, checks: readonly RateLimitCheck[], now: number): Promise<RoundReport>;
  /** Closes stdin (the child closes its limiter and exits); resolves on exit. */
  stop(): Promise<void>;
}

function startChild(backend: string, location: string): LimiterProcess {
  const child = spawnLineChild((bundle as WorkerBundle).file, [backend, location], {
    cwd: ROOT,
    label: `${backend} child`,
  });
  return {
    ready: child.line().then((line) => expect(line).toBe('ready')),
    async round(takes, checks, now) {
      child.send(JSON.stringify({ takes, checks, now }));
      return JSON.parse(await child.line()) as RoundReport;
    },
    stop: () => child.stop(),
  };
}

/**
 * Starts the 4 children on `location`, then two rounds, each released to every child at once:
 * 50 takes of one bucket of limit 20, then 50 takes of two buckets (limits 20 and 15).
 */
async function twoRounds(backend: string, location: string): Promise<[RoundReport[], RoundReport[]]> {
  const children = SHARES.map(() => startChild(backend, location));
  try {
    await Promise.all(children.map((child) => child.ready));
    const run = randomUUID();
    const now = Date.now();
    const one = [check(`${run}:single`, 20)];
    const first = await Promise.all(
      children.map((child, index) => child.round(SHARES[index] ?? 0, one, now)),
    );
    const two = [check(`${run}:twenty`, 20), check(`${run}:fifteen`, 15)];
    const second = await Promise.all(
      children.map((child, index) => child.round(SHARES[index] ?? 0, two, now)),
    );
    return [first, second];
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

function check(bucket: string, limit: number): RateLimitCheck {
  return { bucket, limit, windowMs: WINDOW_MS, cost: 1 };
}

function total(reports: readonly RoundReport[]): { allowed: number; refused: number; failed: string[] } {
  return {
    allowed: reports.reduce((sum, report) => sum + report.allowed, 0),
    refused: reports.reduce((sum, report) => sum + report.refused, 0),
    failed: reports.flatMap((report) => report.failed),
  };
}

/** The assertions every backend must meet: exactly the limit, never more, never fewer. */
async function expectExactLimits(backend: string, location: string): Promise<void> {
  const [first, second] = await twoRounds(backend, location);
  expect(total(first)).toEqual({ allowed: 20, refused: 30, failed: [] });
  expect(total(second)).toEqual({ allowed: 15, refused: 35, failed: [] });
}

describe('rate limits across 4 processes (SQLite file)', () => {
  let file: string;
  let removeDir: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const dir = await tempSqliteDirectory();
    removeDir = dir.remove;
    file = dir.file('rate-limits.db');
    const db = openSqlite(file, { wal: true });
    await migrateToLatest(db);
    await db.destroy();
  });
  afterAll(() => removeDir());

  it('50 concurrent takes allow exactly the limit: 20 of one bucket, 15 of two buckets (20 and 15)', async () => {
    await expectExactLimits('sqlite', file);
  });
});

const adminUrl = inject('databaseUrl');

// Skipped only when the global setup found no PostgreSQL (it warns loudly; CI makes that fatal).
describe.runIf(adminUrl !== null)('rate limits across 4 processes (PostgreSQL)', () => {
  let database: PostgresTestDatabase | undefined;
  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'rate_limit_processes');
    const db = openPostgres(database.url, 1);
    await migrateToLatest(db);
    await db.destroy();
  });
  afterAll(() => database?.drop());

  it('50 concurrent takes allow exactly the limit: 20 of one bucket, 15 of two buckets (20 and 15)', async () => {
    await expectExactLimits('postgres', (database as PostgresTestDatabase).url);
  });
});

const redisUrl = inject('redisUrl');

// Skipped only when the global setup found no Redis (it warns loudly; CI makes that fatal).
describe.runIf(redisUrl !== null)('rate limits across 4 processes (Redis)', () => {
  it('50 concurrent takes allow exactly the limit: 20 of one bucket, 15 of two buckets (20 and 15)', async () => {
    // Bucket ids are fresh per run (a random prefix), so the shared server needs no cleanup.
    await expectExactLimits('redis', redisUrl as string);
  });
});
