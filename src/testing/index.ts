/**
 * `keyward/testing`: the storage conformance suite every `StorageAdapter` must pass, and
 * builders of valid entity records. Requires `vitest`.
 *
 * @packageDocumentation
 */
export type { StorageConformanceOptions } from './conformance-context.js';
export {
  buildApiKey,
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  FIXTURE_TIME,
  fixtureTime,
} from './fixtures.js';
export { runStorageConformance } from './run-storage-conformance.js';
