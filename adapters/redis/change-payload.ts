import type { StorageChange } from '../../src/storage/change-feed.js';

/** The tag of each kind in a payload: `k:<key id>`, `a:<account id>`. */
const TAG_OF = { key: 'k:', account: 'a:' } as const satisfies Record<StorageChange['kind'], string>;

/**
 * The message `redisChangeFeed` publishes for a batch: a JSON array of `k:<key id>` and
 * `a:<account id>` strings, e.g. `["k:key_1","a:acct_2"]`.
 *
 * @internal
 */
export function encodeChanges(changes: readonly StorageChange[]): string {
  return JSON.stringify(changes.map((change) => `${TAG_OF[change.kind]}${change.id}`));
}

/** One `k:<id>` / `a:<id>` entry as a change, or `null` when it is anything else. */
function changeOf(entry: unknown): StorageChange | null {
  if (typeof entry !== 'string' || entry.length < 3) return null;
  if (entry.startsWith(TAG_OF.key)) return { kind: 'key', id: entry.slice(2) };
  if (entry.startsWith(TAG_OF.account)) return { kind: 'account', id: entry.slice(2) };
  return null;
}

/**
 * The batch in a message {@link encodeChanges} wrote, or `null` when the message is anything
 * else (not JSON, not an array, an entry with an unknown tag or an empty id): the feed then
 * reports a gap, so a message it cannot read never leaves a stale entry cached.
 *
 * @internal
 */
export function decodeChanges(message: string): StorageChange[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const changes: StorageChange[] = [];
  for (const entry of parsed) {
    const change = changeOf(entry);
    if (change === null) return null;
    changes.push(change);
  }
  return changes;
}
