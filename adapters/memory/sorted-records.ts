import { comparePosition, type Positioned } from './record-order.js';

/**
 * Records kept sorted by `(createdAt, id)` ascending, with binary-search inserts and removals and
 * cursor iteration in both directions. Records are usually created in time order, so an insert
 * is an append in the common case.
 *
 * @internal
 */
export class SortedRecords<T extends Positioned> {
  readonly #items: T[] = [];

  /** Number of records held. */
  get size(): number {
    return this.#items.length;
  }

  /** Adds `record` at its place. */
  insert(record: T): void {
    const items = this.#items;
    const last = items[items.length - 1];
    if (last === undefined || comparePosition(last, record) < 0) {
      items.push(record);
      return;
    }
    items.splice(this.#firstNotBefore(record), 0, record);
  }

  /** Removes the record at `record`'s position (same `createdAt` and `id`). */
  remove(record: Positioned): void {
    const index = this.#firstNotBefore(record);
    const found = this.#items[index];
    if (found !== undefined && found.id === record.id) this.#items.splice(index, 1);
  }

  /** Replaces `previous` with `next`, in place when their positions are equal. */
  replace(previous: Positioned, next: T): void {
    if (comparePosition(previous, next) === 0) {
      const index = this.#firstNotBefore(previous);
      if (this.#items[index]?.id === previous.id) {
        this.#items[index] = next;
        return;
      }
    }
    this.remove(previous);
    this.insert(next);
  }

  /** Records strictly after `after`, ascending. */
  *ascendingAfter(after: Positioned | undefined): Generator<T, void, undefined> {
    const items = this.#items;
    for (let index = after === undefined ? 0 : this.#firstAfter(after); index < items.length; index++) {
      yield items[index] as T;
    }
  }

  /** Records strictly before `before`, descending. */
  *descendingBefore(before: Positioned | undefined): Generator<T, void, undefined> {
    const items = this.#items;
    const start = before === undefined ? items.length : this.#firstNotBefore(before);
    for (let index = start - 1; index >= 0; index--) {
      yield items[index] as T;
    }
  }

  /** Index of the first record that does not come before `position`. */
  #firstNotBefore(position: Positioned): number {
    return this.#search((record) => comparePosition(record, position) < 0);
  }

  /** Index of the first record strictly after `position`. */
  #firstAfter(position: Positioned): number {
    return this.#search((record) => comparePosition(record, position) <= 0);
  }

  /** First index whose record does not satisfy `isLeft` (records satisfying it form a prefix). */
  #search(isLeft: (record: T) => boolean): number {
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isLeft(this.#items[middle] as T)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
