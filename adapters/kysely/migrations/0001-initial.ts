import { type Kysely, type Migration, sql } from 'kysely';
import type { KyselyDialectName } from '../dialect.js';
import { idType } from './column-types.js';

async function createServiceAccounts(db: Kysely<unknown>, dialect: KyselyDialectName): Promise<void> {
  const id = idType(dialect);
  await db.schema
    .createTable('keyward_service_accounts')
    .addColumn('id', id, (col) => col.primaryKey())
    .addColumn('tenant_id', id, (col) => col.notNull())
    .addColumn('workspace_id', id, (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('roles', 'text', (col) => col.notNull())
    .addColumn('read_only', 'integer', (col) => col.notNull().check(sql`read_only in (0, 1)`))
    .addColumn('dataset_access', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('active', 'disabled')`))
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('keyward_service_accounts_tenant_page')
    .on('keyward_service_accounts')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('keyward_service_accounts_workspace_page')
    .on('keyward_service_accounts')
    .columns(['tenant_id', 'workspace_id', 'created_at', 'id'])
    .execute();
}

async function createApiKeys(db: Kysely<unknown>, dialect: KyselyDialectName): Promise<void> {
  const id = idType(dialect);
  await db.schema
    .createTable('keyward_api_keys')
    .addColumn('id', id, (col) => col.primaryKey())
    .addColumn('service_account_id', id, (col) =>
      col.notNull().references('keyward_service_accounts.id').onDelete('cascade'),
    )
    .addColumn('tenant_id', id, (col) => col.notNull())
    .addColumn('workspace_id', id, (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('environment', 'text', (col) => col.notNull().check(sql`environment in ('live', 'test')`))
    .addColumn('scopes', 'text')
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('hash_version', 'integer', (col) => col.notNull())
    .addColumn('pepper_id', 'text')
    .addColumn('previous_hash', 'text')
    .addColumn('previous_hash_version', 'integer')
    .addColumn('previous_pepper_id', 'text')
    .addColumn('previous_hash_expires_at', 'bigint')
    .addColumn('start', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('active', 'revoked')`))
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  // Listing an account's keys, counting its active keys, and the foreign key's cascade.
  await db.schema
    .createIndex('keyward_api_keys_account_page')
    .on('keyward_api_keys')
    .columns(['service_account_id', 'created_at', 'id'])
    .execute();
}

async function createAuditEvents(db: Kysely<unknown>, dialect: KyselyDialectName): Promise<void> {
  const id = idType(dialect);
  await db.schema
    .createTable('keyward_audit_events')
    .addColumn('id', id, (col) => col.primaryKey())
    .addColumn('tenant_id', id, (col) => col.notNull())
    .addColumn('workspace_id', id)
    .addColumn('actor_type', 'text', (col) => col.notNull())
    .addColumn('actor_id', 'text', (col) => col.notNull())
    .addColumn('actor_service_account_id', id)
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text', (col) => col.notNull())
    .addColumn('target_id', id)
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('before_snapshot', 'text')
    .addColumn('after_snapshot', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('keyward_audit_events_tenant_page')
    .on('keyward_audit_events')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
}

/**
 * 0001: service accounts, API keys and the audit trail, with the request-path primary keys and
 * the pagination indexes of accounts and keys.
 *
 * @internal
 */
export function initialMigration(dialect: KyselyDialectName): Migration {
  return {
    async up(db) {
      await createServiceAccounts(db, dialect);
      await createApiKeys(db, dialect);
      await createAuditEvents(db, dialect);
    },
    async down(db) {
      await db.schema.dropTable('keyward_audit_events').execute();
      await db.schema.dropTable('keyward_api_keys').execute();
      await db.schema.dropTable('keyward_service_accounts').execute();
    },
  };
}
