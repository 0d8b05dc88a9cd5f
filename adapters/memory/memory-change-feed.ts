import type { ChangeFeed, ChangeFeedListener, StorageChange } from '../../src/storage/change-feed.js';

/**
 * The memory adapter's change feed: one process, so delivery is a synchronous call to every
 * keyward instance over the adapter, right after a transaction committed. Always live; never a gap.
 *
 * @internal
 */
export class MemoryChangeFeed implements ChangeFeed {
  readonly name = 'memory';
  readonly live = true;
  readonly #listeners = new Set<ChangeFeedListener>();

  /** Adds a listener: every instance over the adapter has its own. */
  async start(listener: ChangeFeedListener): Promise<void> {
    this.#listeners.add(listener);
  }

  /** Nothing to release: the listeners go with the adapter. */
  async stop(): Promise<void> {}

  /** Tells every listener of committed changes. */
  committed(changes: readonly StorageChange[]): void {
    if (changes.length === 0) return;
    for (const listener of this.#listeners) listener.changed(changes);
  }
}
