import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { ConformanceRunner } from './conformance-runner.js';

/** Options of {@link runStorageConformance}. */
export interface StorageConformanceOptions {
  /** Names the suite in the test report, e.g. `memory` or `postgres`. */
  name: string;
  /**
   * The test runner's functions the suite registers with (see {@link ConformanceRunner}).
   *
   * @example
   * ```ts
   * import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
   * runStorageConformance({ name: 'mine', createAdapter, runner: { describe, it, beforeAll, afterAll, beforeEach } });
   * ```
   */
  runner: ConformanceRunner;
  /**
   * Creates the adapter under test. Called once, before the first test; the adapter's
   * `close()` (when it has one) runs after the last test.
   */
  createAdapter: () => StorageAdapter | Promise<StorageAdapter>;
  /**
   * Called before each test, e.g. to truncate tables. Optional: every test uses fresh tenant
   * and record ids, so tests do not depend on each other either way.
   */
  reset?: ((adapter: StorageAdapter) => Promise<void> | void) | undefined;
  /**
   * A second adapter over the same database through another connection / pool, used by
   * concurrency tests (row locks, busy handling) so that two transactions really run on two
   * connections. Called once, after `createAdapter`; its `close()` runs after the last test,
   * before the adapter's. Default: the adapter itself.
   *
   * @example
   * ```ts
   * createPeerAdapter: () => kyselyAdapter(openSecondConnection(), { dialect: 'sqlite' }),
   * ```
   */
  createPeerAdapter?: ((adapter: StorageAdapter) => StorageAdapter | Promise<StorageAdapter>) | undefined;
}

/**
 * Gives each test file of the suite the adapter under test.
 *
 * @internal
 */
export interface ConformanceContext {
  /** The adapter under test (available inside tests and hooks). */
  readonly adapter: () => StorageAdapter;
  /**
   * The peer adapter: the same database through another connection, or the adapter itself when
   * the suite was given no `createPeerAdapter`.
   */
  readonly peer: () => StorageAdapter;
  /** The runner's `describe`. */
  readonly describe: ConformanceRunner['describe'];
  /** The runner's `it`. */
  readonly it: ConformanceRunner['it'];
}

/**
 * Registers the create / reset / close hooks in the current `describe` block.
 *
 * @internal
 */
export function conformanceContext(options: StorageConformanceOptions): ConformanceContext {
  const { runner } = options;
  let current: StorageAdapter | undefined;
  let currentPeer: StorageAdapter | undefined;
  const adapter = (): StorageAdapter => {
    if (current === undefined) throw new Error(`${options.name}: createAdapter did not run`);
    return current;
  };
  const peer = (): StorageAdapter => {
    if (currentPeer === undefined) throw new Error(`${options.name}: createPeerAdapter did not run`);
    return currentPeer;
  };
  runner.beforeAll(async () => {
    current = await options.createAdapter();
    currentPeer =
      options.createPeerAdapter === undefined ? current : await options.createPeerAdapter(current);
  });
  runner.beforeEach(async () => {
    await options.reset?.(adapter());
  });
  runner.afterAll(async () => {
    const closingPeer = currentPeer === current ? undefined : currentPeer;
    currentPeer = undefined;
    try {
      await closingPeer?.close?.();
    } finally {
      await current?.close?.();
      current = undefined;
    }
  });
  return {
    adapter,
    peer,
    describe: (name, body) => runner.describe(name, body),
    it: (name, test) => runner.it(name, test),
  };
}
