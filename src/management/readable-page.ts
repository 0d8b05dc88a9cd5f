import type { Page } from '../entities/pagination.js';
import type { PageAfter } from '../storage/storage-adapter.js';
import { encodeCursor } from './page-cursor.js';

/** How many storage pages a filtered list reads at most before returning what it has. */
const MAX_SCANS = 20;

/**
 * Reads pages from storage, keeps the items `visible` allows (it may read storage too), and stops
 * once `limit` items are found (or storage is exhausted). The cursor points after the last item
 * read, so filtered-out rows are never read twice.
 *
 * @internal
 */
export async function readablePage<T extends { readonly createdAt: Date; readonly id: string }>(
  fetch: (position: PageAfter | undefined, limit: number) => Promise<T[]>,
  visible: (item: T) => boolean | Promise<boolean>,
  limit: number,
  start: PageAfter | undefined,
): Promise<Page<T>> {
  const items: T[] = [];
  let position = start;
  for (let scan = 0; scan < MAX_SCANS; scan++) {
    const rows = await fetch(position, limit + 1);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as T;
      if (!(await visible(row))) continue;
      if (items.length === limit) return { items, nextCursor: encodeCursor(items[limit - 1] as T) };
      items.push(row);
    }
    if (rows.length <= limit) return { items, nextCursor: null };
    position = rows[rows.length - 1];
  }
  // Every visible row up to `position` is in `items`: the next page may start after it.
  return { items, nextCursor: position === undefined ? null : encodeCursor(position) };
}
