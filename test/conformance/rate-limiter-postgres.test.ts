import { afterAll, beforeAll, beforeEach, describe, inject, it } from 'vitest';
import { kyselyRateLimiter, migrateToLatest } from '../../adapters/kysely/index.js';
import type { RateLimiter } from '../../src/request-controls/rate-limiter.js';
import { runRateLimiterConformance } from '../../src/testing/index.js';
import { createPostgresDatabase } from '../setup/postgres-database.js';
import { openPostgres } from '../setup/sql-databases.js';
import { alternatingLimiter } from '../support/alternating-limiter.js';

const adminUrl = inject('databaseUrl');

// Skipped only when the global setup found neither DATABASE_URL nor PostgreSQL binaries (it
// warns loudly then, and fails instead under KEYWARD_REQUIRE_POSTGRES=1, as CI sets).
describe.runIf(adminUrl !== null)('PostgreSQL rate limiter', () => {
  runRateLimiterConformance({
    name: 'postgres (database collation ICU en-US)',
    runner: { describe, it, beforeAll, afterAll, beforeEach },
    async createLimiter(): Promise<RateLimiter> {
      // A linguistic collation (where 'a' < 'B' and 'e\u0301' may equal 'é') proves bucket ids compare bytewise.
      const database = await createPostgresDatabase(adminUrl as string, 'rate_limiter', {
        icuLocale: 'en-US',
      });
      const db = openPostgres(database.url, 10);
      await migrateToLatest(db);
      const limiter = kyselyRateLimiter({ db, dialect: 'postgres' });
      return {
        ...limiter,
        async close() {
          await db.destroy();
          await database.drop();
        },
      };
    },
  });

  runRateLimiterConformance({
    name: 'postgres, two pools (one with prepared statements) taking in turn',
    runner: { describe, it, beforeAll, afterAll, beforeEach },
    async createLimiter(): Promise<RateLimiter> {
      const database = await createPostgresDatabase(adminUrl as string, 'rate_limiter_pools');
      const first = openPostgres(database.url, 10);
      await migrateToLatest(first);
      const second = openPostgres(database.url, 10, undefined, true);
      return alternatingLimiter(
        'postgres',
        [kyselyRateLimiter({ db: first }), kyselyRateLimiter({ db: second })],
        async () => {
          await first.destroy();
          await second.destroy();
          await database.drop();
        },
      );
    },
  });
});
