import type { Migration } from 'kysely';

/** Audit filters, each served by a `(tenant_id, <filter>, created_at, id)` index. */
const AUDIT_FILTER_INDEXES = [
  ['keyward_audit_events_workspace_page', 'workspace_id'],
  ['keyward_audit_events_target_page', 'target_id'],
  ['keyward_audit_events_action_page', 'action'],
] as const;

/**
 * 0002: the audit trail's request context (`ip`, `userAgent`, `requestId`; existing events get
 * `{}`) and indexes for filtered audit pages.
 *
 * @internal
 */
export function auditRequestAndFiltersMigration(): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable('keyward_audit_events')
        .addColumn('request', 'text', (col) => col.notNull().defaultTo('{}'))
        .execute();
      for (const [name, column] of AUDIT_FILTER_INDEXES) {
        await db.schema
          .createIndex(name)
          .on('keyward_audit_events')
          .columns(['tenant_id', column, 'created_at', 'id'])
          .execute();
      }
    },
    async down(db) {
      for (const [name] of AUDIT_FILTER_INDEXES) await db.schema.dropIndex(name).execute();
      await db.schema.alterTable('keyward_audit_events').dropColumn('request').execute();
    },
  };
}
