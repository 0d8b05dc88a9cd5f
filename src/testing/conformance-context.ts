import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { StorageAdapter } from '../storage/storage-adapter.js';

/** Options of {@link runStorageConformance}. */
export interface StorageConformanceOptions {
  /** Names the suite in the test report, e.g. `memory` or `postgres`. */
  name: string;
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
}

/**
 * Gives each test file of the suite the adapter under test.
 *
 * @internal
 */
export interface ConformanceContext {
  /** The adapter under test (available inside tests and hooks). */
  readonly adapter: () => StorageAdapter;
}

/**
 * Registers the create / reset / close hooks in the current `describe` block.
 *
 * @internal
 */
export function conformanceContext(options: StorageConformanceOptions): ConformanceContext {
  let current: StorageAdapter | undefined;
  const adapter = (): StorageAdapter => {
    if (current === undefined) throw new Error(`${options.name}: createAdapter did not run`);
    return current;
  };
  beforeAll(async () => {
    current = await options.createAdapter();
  });
  beforeEach(async () => {
    await options.reset?.(adapter());
  });
  afterAll(async () => {
    await current?.close?.();
    current = undefined;
  });
  return { adapter };
}
