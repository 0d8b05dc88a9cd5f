/**
 * `keyward/opentelemetry`: spans and metrics for keyward's request path and management calls,
 * through `@opentelemetry/api`. `openTelemetry()` returns the hooks to pass as `instrumentation`
 * to `createKeyward`; see docs/observability.md for every span, attribute and metric.
 *
 * Needs `@opentelemetry/api` (1.x) installed next to keyward: an optional peer dependency, so
 * hosts that do not use OpenTelemetry do not get it (`npm install @opentelemetry/api`).
 *
 * @packageDocumentation
 * @module keyward/opentelemetry
 */

export type { KeywardInstrumentation } from '../../src/request-controls/observability/instrumentation.js';
export type { VerifyRequest, VerifyResult } from '../../src/verify/verify-result.js';
export { type OpenTelemetryOptions, openTelemetry } from './open-telemetry.js';
