/**
 * `keyward/adapters/kysely`: the SQL storage adapter for SQLite and PostgreSQL over a Kysely
 * instance the host builds, its table types and its migrations.
 *
 * @packageDocumentation
 * @module keyward/adapters/kysely
 */
export type { KyselyDialectName } from './dialect.js';
export { type KyselyAdapterOptions, kyselyAdapter } from './kysely-adapter.js';
export { type KyselyRateLimiterOptions, kyselyRateLimiter } from './kysely-rate-limiter.js';
export {
  KEYWARD_MIGRATION_LOCK_TABLE,
  KEYWARD_MIGRATION_TABLE,
  type KeywardMigrationOptions,
  keywardMigrator,
  migrateDown,
  migrateToLatest,
} from './migrate.js';
export {
  type DiscardablePostgresPool,
  type DiscardablePostgresPoolClient,
  postgresDiscardBrokenConnections,
} from './postgres-broken-connections.js';
export { postgresChangeFeed } from './postgres-change-feed.js';
export type {
  ListeningPostgresClient,
  PostgresChangeFeedOptions,
  PostgresChangeFeedReconnect,
} from './postgres-change-feed-options.js';
export { postgresPreparedStatements } from './postgres-prepared-statements.js';
export {
  type SqliteChangeFeedDatabase,
  type SqliteChangeFeedOptions,
  type SqliteChangeFeedStatement,
  sqliteChangeFeed,
} from './sqlite-change-feed.js';
export { sqliteStatementCache } from './sqlite-statement-cache.js';
export type {
  ApiKeyTable,
  AuditEventTable,
  ChangeLogTable,
  EpochMsColumn,
  KeywardDatabase,
  NullableEpochMsColumn,
  RateLimitTable,
  ServiceAccountTable,
} from './tables.js';
