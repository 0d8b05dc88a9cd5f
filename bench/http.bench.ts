/**
 * `npm run bench -- http`: requests/s through `keyward/express` and `keyward/fastify` against a
 * bare route of the same app, over the embedded SQLite storage (a file in WAL mode, through
 * Kysely), with a real key verified on every request.
 *
 * Each app runs in its own child process (`tsx bench/http.bench.ts --serve <framework>`); this
 * process drives it with keep-alive connections (node:http) and alternates the two routes in
 * rounds, keeping the median of each. Both processes share the machine, as with any local load
 * generator: read the figures as indicative, and the overhead as the comparable number.
 *
 * Three storages are measured (see STORAGES): memory with its default verification cache (the
 * middleware and `verify` without a database), SQLite without a cache (what a host without a
 * change feed gets), and SQLite with the default cache kept exact by `sqliteChangeFeed`.
 *
 * With 2+ cores and `taskset`, the server runs on CPU 1 and the load generator on CPU 0
 * (HTTP_BENCH_PIN=0 turns that off). Besides requests/s, the server reports its own CPU time per
 * request (`process.cpuUsage()` over each load), which does not depend on how fast the generator is.
 *
 * Environment: HTTP_BENCH_SECONDS=3 (per route and round), HTTP_BENCH_ROUNDS=3,
 * HTTP_BENCH_CONCURRENCY=32, HTTP_BENCH_PIN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import express from 'express';
import Fastify from 'fastify';
import { Kysely, SqliteDialect } from 'kysely';
import { keywardExpress } from '../adapters/express/index.js';
import { keywardFastify } from '../adapters/fastify/index.js';
import {
  kyselyAdapter,
  migrateToLatest,
  sqliteChangeFeed,
  sqliteStatementCache,
} from '../adapters/kysely/index.js';
import { memoryAdapter } from '../adapters/memory/index.js';
import { nodeHasher } from '../adapters/node/index.js';
import { createKeyward, type Keyward, type StorageAdapter } from '../src/index.js';
import type { ChangeFeed } from '../src/storage/change-feed.js';
import {
  CONCURRENCY,
  load,
  measure,
  median,
  pinLoadGenerator,
  reportToParent,
  startServer,
} from './http-load.js';
import { writeResults } from './report.js';

const FRAMEWORKS = ['express', 'fastify'] as const;
type Framework = (typeof FRAMEWORKS)[number];

/**
 * Storage behind the key lookups: `memory` has the default verification cache (on, through the
 * adapter's own change feed) and isolates the middleware and verify from any database; `sqlite`
 * is a WAL file through the Kysely adapter with `sqliteStatementCache` and `cache: false` (a
 * storage read on every request, what a host without a change feed gets); `sqlite-default` is
 * the same file with `changes: sqliteChangeFeed({ database })`, which turns the default cache on.
 */
const STORAGES = ['memory', 'sqlite', 'sqlite-default'] as const;
type BenchStorage = (typeof STORAGES)[number];

const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.HTTP_BENCH_ROUNDS ?? 3);
const ROUTE = {
  action: 'datasets:read',
  resource: () => ({ tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' }),
};
const PAYLOAD = { rows: [{ id: 'r_1', value: 1 }] };

/** The storage of a bench variant, with the change feed and cache settings it runs with. */
async function benchStorage(
  kind: BenchStorage,
  dir: string,
): Promise<{ storage: StorageAdapter; changes?: ChangeFeed; cache?: false }> {
  if (kind === 'memory') return { storage: memoryAdapter() };
  const raw = new Database(join(dir, 'keyward.sqlite'), { timeout: 5 });
  raw.pragma('journal_mode = WAL');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqliteStatementCache(raw) }) });
  await migrateToLatest(db, { dialect: 'sqlite' });
  const storage = kyselyAdapter(db, { dialect: 'sqlite' });
  if (kind === 'sqlite') return { storage, cache: false };
  return { storage, changes: sqliteChangeFeed({ database: raw }) };
}

/** keyward over the variant's storage, with one key allowed to read the dataset. */
async function benchKeyward(kind: BenchStorage, dir: string): Promise<{ kw: Keyward; token: string }> {
  const kw = createKeyward({
    ...(await benchStorage(kind, dir)),
    tokenPrefix: 'bench',
    hasher: nodeHasher,
  });
  const admin = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] } as const;
  const created = await kw.serviceAccounts.create(
    { ...admin, permissions: [...admin.permissions] },
    { workspaceId: 'w_1', name: 'bench', roles: ['viewer'], firstKey: { name: 'bench' } },
  );
  return { kw, token: created.key?.token ?? '' };
}

/** Child process: serves `/bare` and `/protected` and sends `{ port, token }` to the parent. */
async function serve(framework: Framework, storage: BenchStorage): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-http-bench-'));
  const { kw, token } = await benchKeyward(storage, dir);
  let port: number;
  if (framework === 'express') {
    const app = express();
    const { requireApiKey } = keywardExpress(kw);
    app.get('/bare', (_req, res) => res.json(PAYLOAD));
    app.get('/protected', requireApiKey(ROUTE), (_req, res) => res.json(PAYLOAD));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  } else {
    const app = Fastify();
    await app.register(keywardFastify, { keyward: kw });
    app.get('/bare', async () => PAYLOAD);
    app.get('/protected', { config: { keyward: ROUTE } }, async () => PAYLOAD);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  }
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  reportToParent({ port, token });
}

/**
 * One row: bare vs protected requests/s of one framework over one storage, and the server's CPU
 * time per request on each (what the middleware costs the server, whatever the load generator
 * sharing the machine could send).
 */
interface HttpRow {
  framework: Framework;
  storage: BenchStorage;
  bareRps: number;
  protectedRps: number;
  overheadPct: number;
  bareCpuUs: number;
  protectedCpuUs: number;
  cpuOverheadUs: number;
  cpuOverheadPct: number;
}

/** Measures one framework over one storage in its own server process. */
async function measureVariant(
  framework: Framework,
  storage: BenchStorage,
  pinned: boolean,
): Promise<HttpRow> {
  const server = await startServer(fileURLToPath(import.meta.url), [framework, storage], pinned);
  const { child, port, token } = server;
  try {
    const auth = { authorization: `Bearer ${token}` };
    await load(port, '/bare', {}, 1);
    await load(port, '/protected', auth, 1);
    const bare: { rps: number; cpuUs: number }[] = [];
    const guarded: { rps: number; cpuUs: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await measure(server, '/bare', {}, SECONDS));
      guarded.push(await measure(server, '/protected', auth, SECONDS));
    }
    const bareRps = median(bare.map((m) => m.rps));
    const protectedRps = median(guarded.map((m) => m.rps));
    const bareCpuUs = median(bare.map((m) => m.cpuUs));
    const protectedCpuUs = median(guarded.map((m) => m.cpuUs));
    const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;
    return {
      framework,
      storage,
      bareRps,
      protectedRps,
      overheadPct: percent(bareRps - protectedRps, bareRps),
      bareCpuUs,
      protectedCpuUs,
      cpuOverheadUs: Math.round((protectedCpuUs - bareCpuUs) * 10) / 10,
      cpuOverheadPct: percent(protectedCpuUs - bareCpuUs, bareCpuUs),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function run(): Promise<void> {
  const pinned = pinLoadGenerator();
  const rows: HttpRow[] = [];
  for (const framework of FRAMEWORKS) {
    for (const storage of STORAGES) {
      const row = await measureVariant(framework, storage, pinned);
      rows.push(row);
      const rps = (n: number) => n.toLocaleString('en-US').padStart(7);
      console.log(
        `  ${framework.padEnd(8)} ${storage.padEnd(14)} bare ${rps(row.bareRps)} req/s   protected ${rps(row.protectedRps)} req/s   overhead ${row.overheadPct}%   server CPU/request ${row.bareCpuUs} -> ${row.protectedCpuUs} µs (+${row.cpuOverheadPct}%)`,
      );
    }
  }
  const path = writeResults('http', {
    command: 'npm run bench -- http',
    setup: {
      storages: {
        memory: "memoryAdapter() with the default verification cache (the adapter's own change feed)",
        sqlite: 'SQLite file (WAL) through the Kysely adapter, with sqliteStatementCache; cache: false',
        'sqlite-default': 'the same file with changes: sqliteChangeFeed({ database }): the default cache',
      },
      hasher: 'nodeHasher (keyward/node)',
      concurrency: CONCURRENCY,
      secondsPerRoute: SECONDS,
      rounds: ROUNDS,
      loadGenerator: 'node:http keep-alive agent in the bench process; each server in its own process',
      pinned: pinned ? 'server on CPU 1, load generator on CPU 0 (taskset)' : 'not pinned',
    },
    goal: 'with the default cache and hot keys, the middleware costs under 5% of a bare route throughput',
    metrics: {
      overheadPct:
        'throughput lost: 1 - protected / bare requests/s (bounded by the load generator on this machine)',
      cpuOverheadPct:
        'server CPU per request, protected over bare (process.cpuUsage() of the server process)',
    },
    rows,
  });
  console.log(`  results: ${path}`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href && process.argv[2] === '--serve') {
  await serve(process.argv[3] as Framework, process.argv[4] as BenchStorage);
}
