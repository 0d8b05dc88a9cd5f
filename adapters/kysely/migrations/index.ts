import type { Migration, MigrationProvider } from 'kysely';
import type { KyselyDialectName } from '../dialect.js';
import { initialMigration } from './0001-initial.js';
import { auditRequestAndFiltersMigration } from './0002-audit-request-and-filters.js';
import { keyRegeneratedByMigration } from './0003-key-regenerated-by.js';
import { auditFollowOrderMigration } from './0004-audit-follow-order.js';
import { keyLifecycleMigration } from './0005-key-lifecycle.js';
import { personalAccountsMigration } from './0006-personal-accounts.js';
import { requestControlsMigration } from './0007-request-controls.js';
import { rateLimitsMigration } from './0008-rate-limits.js';
import { changeLogMigration } from './0009-change-log.js';
import { keyPreviousRegeneratedByMigration } from './0010-key-previous-regenerated-by.js';

/**
 * keyward's migrations by name, oldest first. Names are the migration files' and never change;
 * Kysely's Migrator runs them in name order.
 *
 * @internal
 */
export function keywardMigrations(dialect: KyselyDialectName): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-audit-request-and-filters': auditRequestAndFiltersMigration(),
    '0003-key-regenerated-by': keyRegeneratedByMigration(),
    '0004-audit-follow-order': auditFollowOrderMigration(dialect),
    '0005-key-lifecycle': keyLifecycleMigration(),
    '0006-personal-accounts': personalAccountsMigration(),
    '0007-request-controls': requestControlsMigration(),
    '0008-rate-limits': rateLimitsMigration(dialect),
    '0009-change-log': changeLogMigration(dialect),
    '0010-key-previous-regenerated-by': keyPreviousRegeneratedByMigration(),
  };
}

/** A provider that serves the migrations from code: no filesystem read, bundler-safe. @internal */
export function keywardMigrationProvider(dialect: KyselyDialectName): MigrationProvider {
  return { getMigrations: async () => keywardMigrations(dialect) };
}
