/**
 * The functions of a test runner that the conformance suite registers its groups, tests and
 * hooks with. The suite never imports a runner, and asserts with its own helpers, so any runner
 * with these five functions runs it:
 *
 * - Vitest and Jest: their `describe`, `it`, `beforeAll`, `afterAll`, `beforeEach`, as they are.
 * - `node:test`: its `describe`, `it` and `beforeEach`, with `before` as `beforeAll` and `after`
 *   as `afterAll`.
 *
 * Tests and hooks take no argument and return a promise (or nothing); hooks registered inside a
 * `describe` apply to the tests of that group.
 *
 * @example
 * ```ts
 * import { after, before, beforeEach, describe, it } from 'node:test';
 *
 * const runner = { describe, it, beforeEach, beforeAll: before, afterAll: after };
 * ```
 */
export interface ConformanceRunner {
  /** Registers a group; `body` registers its tests and hooks synchronously. */
  describe(name: string, body: () => void): unknown;
  /** Registers one test. */
  it(name: string, test: () => Promise<void> | void): unknown;
  /** Registers a hook run once before the first test of the current group. */
  beforeAll(hook: () => Promise<void>): unknown;
  /** Registers a hook run once after the last test of the current group. */
  afterAll(hook: () => Promise<void>): unknown;
  /** Registers a hook run before each test of the current group. */
  beforeEach(hook: () => Promise<void>): unknown;
}

const RUNNER_FUNCTIONS = ['describe', 'it', 'beforeAll', 'afterAll', 'beforeEach'] as const;

/**
 * Throws a `TypeError` naming what is missing unless `runner` has the five functions of a
 * {@link ConformanceRunner}; `suite` names the function that was given it.
 *
 * @internal
 */
export function assertConformanceRunner(
  runner: unknown,
  suite = 'runStorageConformance',
): asserts runner is ConformanceRunner {
  const missing = RUNNER_FUNCTIONS.filter(
    (name) =>
      typeof runner !== 'object' ||
      runner === null ||
      typeof (runner as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length === 0) return;
  throw new TypeError(
    `${suite} needs runner.${missing.join(', runner.')}: pass your test runner's ` +
      'functions, e.g. { describe, it, beforeAll, afterAll, beforeEach } from vitest, or from ' +
      'node:test { describe, it, beforeEach, beforeAll: before, afterAll: after }',
  );
}
