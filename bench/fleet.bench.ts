/**
 * `npm run bench -- fleet`: how fast a revocation reaches another instance's cache. Two processes
 * share a store (one SQLite file; one PostgreSQL database): this one (instance A) revokes keys,
 * a child (instance B, bench/fleet/watcher.ts) has each key cached and verifies it once per
 * event-loop turn until it is refused. Latency: from just before A calls `kw.keys.revoke` (an
 * upper bound: it includes the revoke's own transaction) to B's first refusal, over 200
 * revocations per store. Also `verify` with the default cache on hot keys (200 keys verified round
 * robin, one at a time) on memory, SQLite and PostgreSQL storage, each with its change feed.
 * Writes bench/results/fleet.json. Environment: FLEET_REVOCATIONS (200), BENCH_SECONDS (2).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../adapters/kysely/index.js';
import { memoryAdapter } from '../adapters/memory/index.js';
import { nodeHasher } from '../adapters/node/index.js';
import type { UserActor } from '../src/index.js';
import { createKeyward, type Keyward } from '../src/index.js';
import { findPostgresBinaries } from '../test/setup/postgres-binaries.js';
import { startPostgresCluster } from '../test/setup/postgres-cluster.js';
import { type FleetStore, openFleetInstance } from '../test/support/fleet-instance.js';
import { preciseNow } from './fleet/precise-now.js';
import { percentile, round, writeResults } from './report.js';
import { measureAsync } from './verify/measure-async.js';

const REVOCATIONS = Number(process.env.FLEET_REVOCATIONS ?? 200);
const admin: UserActor = { type: 'user', id: 'u_bench', tenantId: 't_fleet', permissions: ['*'] };

/** One store's figures. */
interface FleetRow {
  store: 'sqlite' | 'postgres';
  revocations: number;
  /** Revocations B answered with another code or never refused within 10 s (should be 0). */
  missed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The revoke call itself on A (its transaction and commit), p50. */
  revokeP50Ms: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

/** Hot verification with the default cache. */
interface HotRow {
  storage: 'memory' | 'sqlite' | 'postgres';
  verificationsPerSec: number;
  p50Us: number;
  p99Us: number;
}

/** Issues `count` keys on `kw` (accounts of 100); their ids and tokens. */
async function issueKeys(kw: Keyward, count: number): Promise<{ keyId: string; token: string }[]> {
  const tokens: { keyId: string; token: string }[] = [];
  for (let accounts = 0; tokens.length < count; accounts++) {
    const { account } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_fleet',
      name: `fleet ${accounts}`,
      roles: ['viewer'],
    });
    for (let i = 0; i < 100 && tokens.length < count; i++) {
      const issued = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: `k${i}` } });
      tokens.push({ keyId: issued.key.id, token: issued.token });
    }
  }
  return tokens;
}

/** `verify` over 200 cached keys, one at a time. */
async function hot(storage: HotRow['storage'], kw: Keyward): Promise<HotRow> {
  const tokens = (await issueKeys(kw, 200)).map(({ token }) => token);
  const request = {
    action: 'datasets:read',
    resource: { tenantId: 't_fleet', workspaceId: 'w_fleet', datasetId: 'd_1' },
  } as const;
  for (const token of tokens)
    if (!(await kw.verify(token, request)).ok) throw new Error('bench world broken');
  const figures = await measureAsync((i) => kw.verify(tokens[i % tokens.length], request), {
    seconds: SECONDS,
    concurrency: 1,
  });
  const row = { storage, verificationsPerSec: figures.opsPerSec, p50Us: figures.p50Us, p99Us: figures.p99Us };
  console.log(
    `hot verify, default cache: ${storage.padEnd(8)} ${row.verificationsPerSec}/s  p50 ${row.p50Us} us  p99 ${row.p99Us} us`,
  );
  return row;
}

/** Lines from the watcher, one at a time. */
function lines(child: ChildProcess): () => Promise<string> {
  const reader: Interface = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  reader.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queue.push(line);
  });
  return () => {
    const line = queue.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
}

async function measure(store: FleetStore): Promise<FleetRow> {
  const a = await openFleetInstance(store);
  const tokens = await issueKeys(a.kw, REVOCATIONS);
  const watcher = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fleet/watcher.ts', import.meta.url)), JSON.stringify(store)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const next = lines(watcher);
  const latencies: number[] = [];
  const revokes: number[] = [];
  let missed = 0;
  try {
    for (const { keyId, token } of tokens) {
      watcher.stdin?.write(`watch ${token}\n`);
      const ready = await next();
      if (ready !== 'ready') throw new Error(`watcher: ${ready}`);
      const started = preciseNow();
      await a.kw.keys.revoke(admin, { keyId });
      revokes.push(preciseNow() - started);
      const [word, code, at] = (await next()).split(' ');
      if (word !== 'refused' || code !== 'key_revoked') missed++;
      else latencies.push(Number(at) - started);
    }
  } finally {
    watcher.stdin?.end('exit\n');
    await new Promise((resolve) => watcher.once('exit', resolve));
    await a.close();
  }
  latencies.sort((x, y) => x - y);
  revokes.sort((x, y) => x - y);
  return {
    store: store.kind,
    revocations: tokens.length,
    missed,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    revokeP50Ms: round(percentile(revokes, 50)),
  };
}

/** A fresh SQLite file, migrated. */
async function sqliteStore(dir: string): Promise<FleetStore> {
  const path = join(dir, 'fleet.sqlite');
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
  await migrateToLatest(db, { dialect: 'sqlite' });
  await db.destroy();
  return { kind: 'sqlite', path };
}

/** A PostgreSQL database (DATABASE_URL, or a throwaway cluster), migrated; `null` without a server. */
async function postgresStore(): Promise<{ store: FleetStore; stop(): Promise<void> } | null> {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const binaries = await findPostgresBinaries();
    if (binaries === null) return null;
    const cluster = await startPostgresCluster(binaries);
    url = cluster.url;
    stop = () => cluster.stop();
  }
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
  });
  await migrateToLatest(db, { dialect: 'postgres' });
  await db.destroy();
  return { store: { kind: 'postgres', url }, stop };
}

function print(row: FleetRow): void {
  console.log(
    `${row.store.padEnd(8)} ${row.revocations} revocations  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  max ${row.maxMs} ms  (revoke call p50 ${row.revokeP50Ms} ms, missed ${row.missed})`,
  );
}

/** Runs the fleet benchmark; a missing PostgreSQL skips its row, never the run. */
export async function run(): Promise<void> {
  const rows: FleetRow[] = [];
  const hotRows: HotRow[] = [];
  const memory = createKeyward({
    storage: memoryAdapter(),
    tokenPrefix: 'fleet',
    hasher: nodeHasher,
    maxKeysPerAccount: 100,
  });
  hotRows.push(await hot('memory', memory));
  await memory.close();
  const dir = await mkdtemp(join(tmpdir(), 'keyward-fleet-'));
  try {
    const store = await sqliteStore(dir);
    const instance = await openFleetInstance(store);
    hotRows.push(await hot('sqlite', instance.kw));
    await instance.close();
    const sqlite = await measure(store);
    print(sqlite);
    rows.push(sqlite);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const postgres = await postgresStore();
  if (postgres === null)
    console.warn('bench fleet: no PostgreSQL (DATABASE_URL or initdb on PATH): its row is skipped');
  else {
    try {
      const instance = await openFleetInstance(postgres.store);
      hotRows.push(await hot('postgres', instance.kw));
      await instance.close();
      const row = await measure(postgres.store);
      print(row);
      rows.push(row);
    } finally {
      await postgres.stop();
    }
  }
  console.log(`wrote ${writeResults('fleet', { revocations: rows, hotVerify: hotRows })}`);
}
