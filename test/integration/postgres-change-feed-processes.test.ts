import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward } from '../../src/index.js';
import type { StorageChange } from '../../src/storage/change-feed.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres } from '../setup/sql-databases.js';
import { admin } from '../support/keyward-fixture.js';
import { bundleWorker, type WorkerBundle } from './fixtures/worker-bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const adminUrl = inject('databaseUrl');

/** Keys revoked one after another, and the most each notice may take to reach process B. */
const REVOCATIONS = 100;
const DEADLINE_MS = 100;

/** A line process B printed, with `performance.now()` when this process read it. */
interface Received {
  readonly line: string;
  readonly at: number;
}

/** Process B (fixtures/postgres-change-child.ts): a change feed printing what it receives. */
function startListener(file: string, url: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [file, url], { cwd: ROOT });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    received.push({ line, at: performance.now() });
    for (const wake of waiters) wake();
  });
  const closed = once(child, 'close');
  /** Resolves with the first line (from `from` on) that `match` accepts; rejects after 5 s or on exit. */
  const next = (from: number, match: (line: string) => boolean): Promise<Received> =>
    new Promise((resolve, reject) => {
      const wake = () => {
        const found = received.slice(from).find((entry) => match(entry.line));
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`process B did not report it within 5 s; stderr: ${stderr}`));
      }, 5_000);
      const cleanup = () => {
        waiters.delete(wake);
        clearTimeout(timer);
      };
      waiters.add(wake);
      closed.then(() => {
        cleanup();
        reject(new Error(`process B exited: ${stderr}`));
      });
      wake();
    });
  return {
    received,
    next,
    async stop() {
      child.stdin.end();
      await closed;
    },
  };
}

// Skipped only when the global setup found no PostgreSQL (it warns loudly; CI makes that fatal).
describe.runIf(adminUrl !== null)('PostgreSQL change feed across two processes', () => {
  let bundle: WorkerBundle | undefined;
  let database: PostgresTestDatabase | undefined;
  let db: Kysely<KeywardDatabase> | undefined;
  beforeAll(async () => {
    bundle = await bundleWorker(new URL('./fixtures/postgres-change-child.ts', import.meta.url));
    database = await createPostgresDatabase(adminUrl as string, 'change_feed_processes');
    db = openPostgres(database.url, 4);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
    await bundle?.remove();
  });

  it(`process B hears of each of ${REVOCATIONS} revocations made here within ${DEADLINE_MS} ms`, async () => {
    const kw = createKeyward({
      storage: kyselyAdapter(db as Kysely<KeywardDatabase>, { dialect: 'postgres' }),
      tokenPrefix: 'acme',
    });
    const keyIds: string[] = [];
    for (let index = 0; index < REVOCATIONS; index++) {
      const { key } = await kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: `svc ${index}`,
        roles: ['analyst'],
        firstKey: { name: 'first' },
      });
      keyIds.push((key as { key: { id: string } }).key.id);
    }
    const listener = startListener((bundle as WorkerBundle).file, (database as PostgresTestDatabase).url);
    try {
      await listener.next(0, (line) => line === 'ready');
      const latencies: number[] = [];
      const revokeTimes: number[] = [];
      for (const keyId of keyIds) {
        const from = listener.received.length;
        const started = performance.now();
        await kw.keys.revoke(admin, { keyId });
        // Committed by now: from here to process B's report (B may even have reported already).
        const committed = performance.now();
        const { line, at } = await listener.next(from, (line) => line.includes(`"${keyId}"`));
        expect(JSON.parse(line)).toEqual({ type: 'changed', changes: [{ kind: 'key', id: keyId }] });
        latencies.push(Math.max(0, at - committed));
        revokeTimes.push(committed - started);
      }
      latencies.sort((a, b) => a - b);
      revokeTimes.sort((a, b) => a - b);
      const p = (sorted: number[], q: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
      console.log(
        `postgres change feed across processes, commit to B's report over ${REVOCATIONS} revocations: ` +
          `p50 ${p(latencies, 0.5)?.toFixed(2)} ms, p99 ${p(latencies, 0.99)?.toFixed(2)} ms, ` +
          `max ${latencies.at(-1)?.toFixed(2)} ms (the revoke itself: p50 ${p(revokeTimes, 0.5)?.toFixed(2)} ms)`,
      );
      expect(latencies.filter((latency) => latency > DEADLINE_MS)).toEqual([]);
      const lines = listener.received.map(({ line }) => line).filter((line) => line !== 'ready');
      const changes = lines.flatMap(
        (line) => (JSON.parse(line) as { changes?: StorageChange[] }).changes ?? [],
      );
      expect(lines.every((line) => !line.includes('"gap"'))).toBe(true);
      expect(changes).toEqual(keyIds.map((id) => ({ kind: 'key', id })));
    } finally {
      await listener.stop();
    }
  });
});
