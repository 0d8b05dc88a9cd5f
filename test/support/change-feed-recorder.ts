import type { ChangeFeed, ChangeFeedListener, StorageChange } from '../../src/storage/change-feed.js';

/** What a {@link ChangeFeedRecorder} saw, in order, with `performance.now()` at delivery. */
export type RecordedFeedEvent =
  | { readonly type: 'changed'; readonly changes: readonly StorageChange[]; readonly at: number }
  /** `live`: the feed's `live` when `gap()` was called. */
  | { readonly type: 'gap'; readonly live: boolean; readonly at: number };

/** A {@link ChangeFeedListener} that records every call, and waits for the calls a test expects. */
export interface ChangeFeedRecorder extends ChangeFeedListener {
  readonly events: readonly RecordedFeedEvent[];
  /** The changes delivered so far, flattened. */
  changes(): StorageChange[];
  /** Resolves once `condition()` holds (checked after each event, and now); rejects after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/** A recorder for `feed` (read for its `live` at each gap). */
export function recordChangeFeed(feed: () => ChangeFeed): ChangeFeedRecorder {
  const events: RecordedFeedEvent[] = [];
  const waiters = new Set<() => void>();
  const record = (event: RecordedFeedEvent) => {
    events.push(event);
    for (const wake of waiters) wake();
  };
  return {
    events,
    changed(changes) {
      record({ type: 'changed', changes: [...changes], at: performance.now() });
    },
    gap() {
      record({ type: 'gap', live: feed().live, at: performance.now() });
    },
    changes: () => events.flatMap((event) => (event.type === 'changed' ? event.changes : [])),
    until(condition, what, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (!condition()) return;
          cleanup();
          resolve();
        };
        // `live` changes without an event: poll it too.
        const poll = setInterval(wake, 5);
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(events)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          waiters.delete(wake);
          clearInterval(poll);
          clearTimeout(timer);
        };
        waiters.add(wake);
        wake();
      });
    },
  };
}
