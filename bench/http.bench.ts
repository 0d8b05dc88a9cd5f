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
 * Environment: HTTP_BENCH_SECONDS=3 (per route and round), HTTP_BENCH_ROUNDS=3,
 * HTTP_BENCH_CONCURRENCY=32.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
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
const CONCURRENCY = Number(process.env.HTTP_BENCH_CONCURRENCY ?? 32);
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
  process.on('SIGTERM', () => process.exit(0));
  // Over the IPC channel, never stdout: the bench key's token is not printed.
  process.send?.({ port, token });
}

/** Starts a child server and waits for its `{ port, token }` message. */
async function startServer(
  framework: Framework,
  storage: BenchStorage,
): Promise<{ child: ChildProcess; port: number; token: string }> {
  const file = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', file, '--serve', framework, storage], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number; token: string }));
    child.once('exit', (code) =>
      reject(new Error(`${framework} bench server exited (${code}) before listening`)),
    );
  });
  return { child, ...ready };
}

/** One GET over the agent; resolves with the status once the body is drained. */
function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests/s on `path` with CONCURRENCY keep-alive connections for `seconds`. */
async function load(
  port: number,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const status = await get(agent, port, path, headers);
      if (status !== 200) throw new Error(`${path} answered ${status}`);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return Math.round(done / elapsed);
}

/** The median of a list of numbers. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One row: bare vs protected requests/s of one framework over one storage. */
interface HttpRow {
  framework: Framework;
  storage: BenchStorage;
  bareRps: number;
  protectedRps: number;
  overheadPct: number;
}

/** Measures one framework over one storage in its own server process. */
async function measureVariant(framework: Framework, storage: BenchStorage): Promise<HttpRow> {
  const { child, port, token } = await startServer(framework, storage);
  try {
    const auth = { authorization: `Bearer ${token}` };
    await load(port, '/bare', {}, 1);
    await load(port, '/protected', auth, 1);
    const bare: number[] = [];
    const guarded: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await load(port, '/bare', {}, SECONDS));
      guarded.push(await load(port, '/protected', auth, SECONDS));
    }
    const bareRps = median(bare);
    const protectedRps = median(guarded);
    return {
      framework,
      storage,
      bareRps,
      protectedRps,
      overheadPct: Math.round((1 - protectedRps / bareRps) * 1000) / 10,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function run(): Promise<void> {
  const rows: HttpRow[] = [];
  for (const framework of FRAMEWORKS) {
    for (const storage of STORAGES) {
      const row = await measureVariant(framework, storage);
      rows.push(row);
      const rps = (n: number) => n.toLocaleString('en-US').padStart(7);
      console.log(
        `  ${framework.padEnd(8)} ${storage.padEnd(14)} bare ${rps(row.bareRps)} req/s   protected ${rps(row.protectedRps)} req/s   overhead ${row.overheadPct}%`,
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
    },
    goal: 'with the default cache and hot keys, the middleware costs under 5% of a bare route throughput',
    rows,
  });
  console.log(`  results: ${path}`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href && process.argv[2] === '--serve') {
  await serve(process.argv[3] as Framework, process.argv[4] as BenchStorage);
}
