import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeywardDatabase, keywardMigrator, migrateToLatest } from '../../adapters/kysely/index.js';
import { bundleWorker, type WorkerBundle } from '../integration/fixtures/worker-bundle.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { startSqliteChild } from './fixtures/sqlite-child-process.js';

/** Crash points tried, spread evenly over the statements of a full migration. */
const KILL_POINTS = 10;

/** Every table, index and trigger with its SQL: equal schemas are equal text. */
async function schemaOf(db: Kysely<KeywardDatabase>): Promise<unknown[]> {
  const { rows } = await sql`
    select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name
  `.execute(db);
  return rows;
}

async function pendingMigrations(db: Kysely<KeywardDatabase>): Promise<string[]> {
  const migrations = await keywardMigrator(db).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((m) => m.name);
}

describe('a process killed in the middle of migrating a SQLite file', () => {
  let bundle: WorkerBundle;
  let dir: Awaited<ReturnType<typeof tempSqliteDirectory>>;
  /** The schema of a file migrated without interruption, and how many statements that took. */
  let reference: { readonly schema: unknown[]; readonly statements: number };

  beforeAll(async () => {
    bundle = await bundleWorker(new URL('./fixtures/sqlite-migrating-child.ts', import.meta.url));
    dir = await tempSqliteDirectory();
    const file = dir.file('reference.db');
    const child = startSqliteChild(bundle.file, [file, 'wal', '0']);
    const statements = Number((await child.line('migrated ')).split(' ')[1]);
    await child.exited;
    const db = openSqlite(file);
    try {
      reference = { schema: await schemaOf(db), statements };
    } finally {
      await db.destroy();
    }
  });

  afterAll(async () => {
    await dir?.remove();
    await bundle?.remove();
  });

  it(`killed at ${KILL_POINTS} points spread over the migrations: every next migrateToLatest succeeds and the schema is complete`, async () => {
    expect(reference.statements).toBeGreaterThan(KILL_POINTS * 2);
    const outcomes: string[] = [];
    for (let point = 1; point <= KILL_POINTS; point++) {
      const killAfter = Math.round((point * reference.statements) / (KILL_POINTS + 1));
      const journal = point % 2 === 0 ? 'wal' : 'journal';
      const file = dir.file(`killed-${point}.db`);
      const child = startSqliteChild(bundle.file, [file, journal, String(killAfter)]);
      const { signal } = await child.exited;
      const db = openSqlite(file);
      try {
        await migrateToLatest(db);
        const complete =
          JSON.stringify(await schemaOf(db)) === JSON.stringify(reference.schema) &&
          (await pendingMigrations(db)).length === 0;
        outcomes.push(
          `${signal} after ${killAfter} (${journal}): ${complete ? 'complete' : 'schema differs'}`,
        );
      } catch (error) {
        const cause = (error as Error).cause as Error | undefined;
        outcomes.push(
          `${signal} after ${killAfter} (${journal}): ${(error as Error).message}: ${cause?.message}`,
        );
      } finally {
        await db.destroy();
      }
    }
    expect(outcomes).toEqual(
      outcomes.map((outcome) => outcome.replace(/^\S+ (after \d+ \(\w+\)): .*$/, 'SIGKILL $1: complete')),
    );
  }, 60_000);
});
