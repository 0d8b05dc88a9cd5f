/**
 * `keyward/testing`: the storage conformance suite every `StorageAdapter` must pass, and
 * builders of valid entity records. Imports no test runner: pass yours (Vitest, Jest,
 * `node:test`) to `runStorageConformance`.
 *
 * @packageDocumentation
 * @module keyward/testing
 */
export type { StorageConformanceOptions } from './conformance-context.js';
export type { ConformanceRunner } from './conformance-runner.js';
export {
  buildApiKey,
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  FIXTURE_TIME,
  fixtureTime,
} from './fixtures.js';
export { runStorageConformance } from './run-storage-conformance.js';
