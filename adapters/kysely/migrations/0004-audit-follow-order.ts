import { type Kysely, type Migration, sql } from 'kysely';
import type { KyselyDialectName } from '../dialect.js';

const EVENTS = 'keyward_audit_events';
const REBUILT = 'keyward_audit_events_0004';
const FOLLOW_INDEX = 'keyward_audit_events_follow';

/** The audit pages' indexes (0001 and 0002), recreated after a SQLite rebuild. */
const PAGE_INDEXES = [
  ['keyward_audit_events_tenant_page', []],
  ['keyward_audit_events_workspace_page', ['workspace_id']],
  ['keyward_audit_events_target_page', ['target_id']],
  ['keyward_audit_events_action_page', ['action']],
] as const;

/** Every column an event had before 0004, in table order. */
const EVENT_COLUMNS = [
  'id',
  'tenant_id',
  'workspace_id',
  'actor_type',
  'actor_id',
  'actor_service_account_id',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'reason',
  'before_snapshot',
  'after_snapshot',
  'created_at',
  'request',
] as const;

/**
 * SQLite cannot add a primary key with `ALTER TABLE`, so the table is rebuilt (SQLite's
 * documented procedure), inside a savepoint so that a failure leaves the old table as it was.
 * With `sequence`, `seq INTEGER PRIMARY KEY AUTOINCREMENT` leads and the id becomes `UNIQUE`;
 * without, the 0003 shape returns. Rows are copied in `(created_at, id)` order (and, going
 * down, in follow order), which is the order existing events get their sequence in.
 */
async function rebuildSqlite(db: Kysely<unknown>, sequence: boolean): Promise<void> {
  await sql`savepoint keyward_0004`.execute(db);
  try {
    let table = db.schema.createTable(REBUILT);
    if (sequence) table = table.addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement());
    await table
      .addColumn('id', 'text', (col) => (sequence ? col.notNull().unique() : col.primaryKey()))
      .addColumn('tenant_id', 'text', (col) => col.notNull())
      .addColumn('workspace_id', 'text')
      .addColumn('actor_type', 'text', (col) => col.notNull())
      .addColumn('actor_id', 'text', (col) => col.notNull())
      .addColumn('actor_service_account_id', 'text')
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('target_type', 'text', (col) => col.notNull())
      .addColumn('target_id', 'text')
      .addColumn('outcome', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .addColumn('before_snapshot', 'text')
      .addColumn('after_snapshot', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('request', 'text', (col) => col.notNull().defaultTo('{}'))
      .execute();
    const order = sequence ? sql`order by created_at, id` : sql`order by seq`;
    const columns = sql.join(EVENT_COLUMNS.map((column) => sql.ref(column)));
    await sql`insert into ${sql.table(REBUILT)} (${columns}) select ${columns} from ${sql.table(EVENTS)} ${order}`.execute(
      db,
    );
    await db.schema.dropTable(EVENTS).execute();
    await db.schema.alterTable(REBUILT).renameTo(EVENTS).execute();
    for (const [name, filter] of PAGE_INDEXES) {
      await db.schema
        .createIndex(name)
        .on(EVENTS)
        .columns(['tenant_id', ...filter, 'created_at', 'id'])
        .execute();
    }
    if (sequence)
      await db.schema.createIndex(FOLLOW_INDEX).on(EVENTS).columns(['tenant_id', 'seq']).execute();
    await sql`release keyward_0004`.execute(db);
  } catch (error) {
    await sql`rollback to keyward_0004`.execute(db);
    await sql`release keyward_0004`.execute(db);
    throw error;
  }
}

/**
 * PostgreSQL: `xact_id`, the writing transaction's id (existing events get the migration's), and
 * `seq`, numbered in `(created_at, id)` order for existing events, then an identity column. The
 * Migrator runs this in one transaction.
 */
async function addPostgresOrder(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ${sql.table(EVENTS)}
    add column xact_id xid8 not null default pg_current_xact_id(),
    add column seq bigint`.execute(db);
  await sql`update ${sql.table(EVENTS)} as e set seq = numbered.n
    from (select id, row_number() over (order by created_at, id) as n from ${sql.table(EVENTS)}) as numbered
    where e.id = numbered.id`.execute(db);
  await sql`alter table ${sql.table(EVENTS)}
    alter column seq set not null,
    alter column seq add generated always as identity`.execute(db);
  await sql`select setval(pg_get_serial_sequence(${EVENTS}, 'seq'), coalesce(max(seq), 0) + 1, false)
    from ${sql.table(EVENTS)}`.execute(db);
  await db.schema.createIndex(FOLLOW_INDEX).on(EVENTS).columns(['tenant_id', 'xact_id', 'seq']).execute();
}

/**
 * 0004: the audit trail's follow order, which lets `kw.audit.follow` tail it without skipping an
 * event that commits late. SQLite: `seq INTEGER PRIMARY KEY AUTOINCREMENT` (commit order, as
 * writers are serialized), by rebuilding the table. PostgreSQL: `xact_id xid8` and an identity
 * `seq`, read below the snapshot's `xmin`. Existing events get positions in `(created_at, id)`
 * order, before every later event. Going down drops the positions and keeps every event.
 *
 * @internal
 */
export function auditFollowOrderMigration(dialect: KyselyDialectName): Migration {
  return {
    async up(db) {
      if (dialect === 'sqlite') await rebuildSqlite(db, true);
      else await addPostgresOrder(db);
    },
    async down(db) {
      if (dialect === 'sqlite') {
        await rebuildSqlite(db, false);
        return;
      }
      await db.schema.dropIndex(FOLLOW_INDEX).execute();
      await db.schema.alterTable(EVENTS).dropColumn('seq').dropColumn('xact_id').execute();
    },
  };
}
