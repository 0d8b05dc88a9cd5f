import { type MeterProvider, metrics, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import type { KeywardInstrumentation } from '../../src/request-controls/observability/instrumentation.js';
import { INSTRUMENTATION_SCOPE } from './instrumentation-scope.js';
import { createKeywardInstruments, type KeywardInstruments } from './keyward-instruments.js';
import { runManagementCall } from './management-span.js';
import { recordVerification } from './verification-span.js';

/** Where {@link openTelemetry} sends its spans and metrics. */
export interface OpenTelemetryOptions {
  /** The tracer provider for keyward's spans (default: the global one, `trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider | undefined;
  /** The meter provider for keyward's metrics (default: the global one, `metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider | undefined;
}

function requireProvider(value: unknown, name: string, method: string): void {
  if (value === undefined) return;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Record<string, unknown>)[method] !== 'function'
  ) {
    throw new TypeError(`openTelemetry: ${name} must have a ${method}() method`);
  }
}

/**
 * Instrumentation hooks that report keyward to OpenTelemetry (`@opentelemetry/api` 1.x, an
 * optional peer dependency). Pass the result as `instrumentation` to `createKeyward`.
 *
 * Spans (kind `INTERNAL`):
 * - `keyward.verify`, one per `kw.verify`, timed from the call to its answer and recorded once
 *   it settled (verify never waits on the tracer). Attributes: `keyward.outcome` (`allowed` |
 *   `denied`), `keyward.reason` (the result's code, when denied), `keyward.action`, and when the
 *   result names its principal (a success) `keyward.key_id`, `keyward.tenant_id`,
 *   `keyward.service_account_id`; `client.address` when the request gave `ip`. Status `ERROR`
 *   only for `storage_unavailable` and `evaluation_error`: a refusal is an answer, not an error.
 * - `keyward.management <operation>` (e.g. `keyward.management keys.revoke`), active while the
 *   call runs, so storage and driver spans nest under it. Attribute `keyward.operation`; when the
 *   call throws, status `ERROR`, `keyward.error_code` (the `KeywardError` code), `error.type`, and
 *   an exception event with the error's name and code (and a `KeywardError`'s message), never its
 *   `details` nor another error's message or stack.
 *
 * Metrics:
 * - `keyward.verifications` (counter, `{verification}`): `keyward.outcome`, `keyward.reason`.
 * - `keyward.verify.duration` (histogram, `ms`): the same attributes.
 * - `keyward.management.calls` (counter, `{call}`): `keyward.operation`, `keyward.outcome`
 *   (`success` | `error`), `error.type` on an error.
 *
 * No attribute holds a secret: the token is never handed to the hooks, and nothing is derived
 * from it. With the global providers, register the OpenTelemetry SDK before keyward's first
 * verification or management call (the tracer and meter are taken then).
 *
 * @param options - The providers to use instead of the global ones.
 * @throws TypeError when a provider given is not one.
 *
 * @example
 * ```ts
 * import { createKeyward } from 'keyward';
 * import { memoryAdapter } from 'keyward/adapters/memory';
 * import { openTelemetry } from 'keyward/opentelemetry';
 *
 * const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', instrumentation: openTelemetry() });
 * ```
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): KeywardInstrumentation {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('openTelemetry: options must be an object');
  }
  const { tracerProvider, meterProvider } = options;
  requireProvider(tracerProvider, 'tracerProvider', 'getTracer');
  requireProvider(meterProvider, 'meterProvider', 'getMeter');
  const { name, version } = INSTRUMENTATION_SCOPE;
  let tracer: Tracer | undefined;
  let instruments: KeywardInstruments | undefined;
  // Taken on first use, so a global SDK registered after openTelemetry() is still the one used.
  const tracerNow = (): Tracer => {
    tracer ??= (tracerProvider ?? trace.getTracerProvider()).getTracer(name, version);
    return tracer;
  };
  const instrumentsNow = (): KeywardInstruments => {
    instruments ??= createKeywardInstruments(
      (meterProvider ?? metrics.getMeterProvider()).getMeter(name, version),
    );
    return instruments;
  };
  return Object.freeze({
    verified(result, request, durationMs) {
      recordVerification(tracerNow(), instrumentsNow(), result, request, durationMs);
    },
    managementCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
      return runManagementCall(tracerNow(), instrumentsNow(), operation, run);
    },
  } satisfies KeywardInstrumentation);
}
