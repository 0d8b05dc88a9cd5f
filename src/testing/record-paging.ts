import type { PageAfter } from '../storage/storage-adapter.js';

/** A row as the listings order it. @internal */
export interface OrderedRow {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * Orders rows by `createdAt`, then `id` in binary (UTF-16 code unit) order: the order every
 * adapter must list in (`COLLATE "C"` in PostgreSQL; SQLite's default).
 *
 * @internal
 */
export function compareRows(a: OrderedRow, b: OrderedRow): number {
  const diff = a.createdAt.getTime() - b.createdAt.getTime();
  if (diff !== 0) return diff;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/**
 * Ids of `rows` in listing order, ascending or (audit trail) descending.
 *
 * @internal
 */
export function idsInOrder(
  rows: readonly OrderedRow[],
  direction: 'ascending' | 'descending' = 'ascending',
): string[] {
  const sorted = [...rows].sort(compareRows);
  if (direction === 'descending') sorted.reverse();
  return sorted.map((row) => row.id);
}

/**
 * Walks every page of a listing, passing the last row of each page as the next cursor, and
 * returns the ids seen and each page's size. Stops at the first empty page; throws after
 * `maxPages` so an adapter that ignores the cursor fails instead of looping.
 *
 * @internal
 */
export async function walkPages(
  fetchPage: (cursor: PageAfter | undefined) => Promise<readonly OrderedRow[]>,
  maxPages = 100,
): Promise<{ ids: string[]; pageSizes: number[] }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: PageAfter | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(cursor);
    if (page.length === 0) return { ids, pageSizes };
    pageSizes.push(page.length);
    for (const row of page) ids.push(row.id);
    const last = page[page.length - 1] as OrderedRow;
    cursor = { createdAt: new Date(last.createdAt.getTime()), id: last.id };
  }
  throw new Error(`Listing did not end after ${maxPages} pages: the cursor is ignored`);
}
