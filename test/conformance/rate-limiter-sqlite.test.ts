import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { kyselyRateLimiter, migrateToLatest } from '../../adapters/kysely/index.js';
import type { RateLimiter } from '../../src/request-controls/rate-limiter.js';
import { runRateLimiterConformance } from '../../src/testing/index.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { alternatingLimiter } from '../support/alternating-limiter.js';

/**
 * Busy timeout of the better-sqlite3 handles: short, as docs/storage.md recommends, so that two
 * handles in one process wait for each other asynchronously (the limiter retries `BEGIN IMMEDIATE`).
 */
const BUSY_TIMEOUT_MS = 5;

runRateLimiterConformance({
  name: 'sqlite :memory:',
  runner: { describe, it, beforeAll, afterAll, beforeEach },
  async createLimiter(): Promise<RateLimiter> {
    const db = openSqlite(':memory:');
    await migrateToLatest(db);
    const limiter = kyselyRateLimiter({ db, dialect: 'sqlite' });
    return { ...limiter, close: () => db.destroy() };
  },
});

/** A file in WAL and in rollback-journal mode: two handles on it, each with its own limiter. */
for (const wal of [true, false]) {
  runRateLimiterConformance({
    name: `sqlite file (${wal ? 'WAL' : 'rollback journal'}), two connections taking in turn`,
    runner: { describe, it, beforeAll, afterAll, beforeEach },
    async createLimiter(): Promise<RateLimiter> {
      const dir = await tempSqliteDirectory();
      const file = dir.file('rate-limits.db');
      const first = openSqlite(file, { wal, busyTimeoutMs: BUSY_TIMEOUT_MS });
      await migrateToLatest(first);
      const second = openSqlite(file, { busyTimeoutMs: BUSY_TIMEOUT_MS, statementCache: true });
      return alternatingLimiter(
        'sqlite',
        [kyselyRateLimiter({ db: first }), kyselyRateLimiter({ db: second })],
        async () => {
          await first.destroy();
          await second.destroy();
          await dir.remove();
        },
      );
    },
  });
}
