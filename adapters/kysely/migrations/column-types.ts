import { type RawBuilder, sql } from 'kysely';
import type { KyselyDialectName } from '../dialect.js';

/**
 * Type of id-like columns (ids, tenant, workspace). PostgreSQL gets `collate "C"` so that
 * `(created_at, id)` ordering is bytewise, the same as SQLite's `BINARY` and JavaScript's
 * string order, whatever the database's locale.
 *
 * @internal
 */
export function idType(dialect: KyselyDialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
}
