import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { runStorageConformance, type StorageConformanceOptions } from '../../../src/testing/index.js';

describe('runStorageConformance runner option', () => {
  it('refuses a missing or partial runner at once with a TypeError naming what is missing', () => {
    const options = { name: 'memory', createAdapter: () => memoryAdapter() };
    expect(() => runStorageConformance(options as StorageConformanceOptions)).toThrow(
      new TypeError(
        'runStorageConformance needs runner.describe, runner.it, runner.beforeAll, runner.afterAll, ' +
          "runner.beforeEach: pass your test runner's functions, e.g. { describe, it, beforeAll, afterAll, " +
          'beforeEach } from vitest, or from node:test { describe, it, beforeEach, beforeAll: before, afterAll: after }',
      ),
    );
    const partial = { ...options, runner: { describe, it } } as unknown as StorageConformanceOptions;
    expect(() => runStorageConformance(partial)).toThrow(
      /^runStorageConformance needs runner\.beforeAll, runner\.afterAll, runner\.beforeEach:/,
    );
  });
});
