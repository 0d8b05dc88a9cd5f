/**
 * `keyward/testing`: the storage conformance suite every `StorageAdapter` must pass, the
 * rate-limiter conformance suite every `RateLimiter` must pass, and builders of valid entity
 * records. Imports no test runner: pass yours (Vitest, Jest, `node:test`) to
 * `runStorageConformance` or `runRateLimiterConformance`.
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
export { runRateLimiterConformance } from './rate-limiter-conformance.js';
export type { RateLimiterConformanceOptions } from './rate-limiter-context.js';
export { runStorageConformance } from './run-storage-conformance.js';
