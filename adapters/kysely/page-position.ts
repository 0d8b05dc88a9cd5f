import { type RawBuilder, sql } from 'kysely';
import type { PageAfter } from '../../src/storage/storage-adapter.js';

/**
 * `(created_at, id) > after` (ascending pages) or `< before` (the newest-first audit trail): a
 * row-value comparison that both dialects run as a range on a `(…, created_at, id)` index.
 *
 * @internal
 */
export function beyondPosition(direction: 'after' | 'before', position: PageAfter): RawBuilder<boolean> {
  const operator = direction === 'after' ? sql`>` : sql`<`;
  return sql<boolean>`(${sql.ref('created_at')}, ${sql.ref('id')}) ${operator} (${position.createdAt.getTime()}, ${position.id})`;
}
