/**
 * The instrumentation scope keyward's tracer and meter are named with, as OpenTelemetry
 * backends show it (`otel.scope.name`, `otel.scope.version`). The version is keyward's own;
 * `test/unit/opentelemetry/keyward-metrics.test.ts` keeps it equal to package.json.
 *
 * @internal
 */
export const INSTRUMENTATION_SCOPE = Object.freeze({ name: 'keyward', version: '0.1.0' });
