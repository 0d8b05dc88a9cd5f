/**
 * Values the global setup hands to test files through `inject()`.
 *
 * `databaseUrl`: an admin connection URL of a PostgreSQL server the tests may create databases
 * on (`DATABASE_URL`, or the throwaway cluster the setup started), or `null` when neither was
 * available and the PostgreSQL tests are skipped.
 *
 * `redisUrl`: a Redis server the tests may write keys to (`REDIS_URL`, or the throwaway
 * `redis-server` the setup started), or `null` when neither was available and the Redis tests
 * are skipped.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    redisUrl: string | null;
  }
}

export {};
