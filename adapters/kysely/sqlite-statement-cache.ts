import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept per database; the least recently prepared one goes first. */
const DEFAULT_MAX_STATEMENTS = 200;

/**
 * Wraps a better-sqlite3 `Database` so that Kysely's `SqliteDialect` reuses prepared
 * statements instead of preparing every query again (preparing costs more than running a
 * primary-key lookup). keyward's queries are a small fixed set, so a small cache holds them
 * all. Do not use it with `.stream()` queries: a statement that is being iterated cannot run
 * again until the iteration ends.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const dialect = new SqliteDialect({ database: sqliteStatementCache(new Database('keyward.db')) });
 * ```
 */
export function sqliteStatementCache(
  database: SqliteDatabase,
  maxStatements = DEFAULT_MAX_STATEMENTS,
): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= maxStatements) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
