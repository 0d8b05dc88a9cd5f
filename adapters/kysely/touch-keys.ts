import type { QueryContext } from './query-context.js';
import { atomically } from './query-context.js';

const KEYS = 'keyward_api_keys';

interface TouchEntry {
  readonly keyId: string;
  readonly lastUsedAt: Date;
}

/** The latest use per key, in key id order. */
function latestPerKey(entries: readonly TouchEntry[]): [string, number][] {
  const latest = new Map<string, number>();
  for (const { keyId, lastUsedAt } of entries) {
    const ms = lastUsedAt.getTime();
    if (!(ms <= (latest.get(keyId) ?? Number.NEGATIVE_INFINITY))) latest.set(keyId, ms);
  }
  return [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Moves `last_used_at` forward, never back; unknown keys match no row. SQLite runs the batch in
 * one write transaction; PostgreSQL runs each update on its own, so a batch never holds many
 * row locks at once and cannot deadlock with management transactions.
 *
 * @internal
 */
export async function touchKeys(
  context: QueryContext,
  args: { readonly entries: readonly TouchEntry[] },
): Promise<void> {
  const updates = latestPerKey(args.entries);
  if (updates.length === 0) return;
  const run = async (tx: QueryContext): Promise<void> => {
    for (const [keyId, ms] of updates) {
      await tx.db
        .updateTable(KEYS)
        .set({ last_used_at: ms })
        .where('id', '=', keyId)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', ms)]))
        .execute();
    }
  };
  if (context.dialect === 'sqlite') await atomically(context, run);
  else await run(context);
}
