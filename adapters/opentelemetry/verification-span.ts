import { type Attributes, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { VerifyRequest, VerifyResult } from '../../src/verify/verify-result.js';
import { KEYWARD_ATTRIBUTES as ATTR } from './keyward-attributes.js';
import type { KeywardInstruments } from './keyward-instruments.js';

/**
 * Refusals that are faults of the system rather than answers about the caller: only these mark
 * a verification span as an error. A denied key is the verifier working.
 */
const FAULT_CODES: ReadonlySet<string> = new Set(['storage_unavailable', 'evaluation_error']);

/** Now, in epoch ms with sub-millisecond precision (the clock OpenTelemetry SDKs time spans with). */
function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The attributes of one verification's metrics: the outcome, and the code when refused. Low
 * cardinality on purpose (no key or tenant id).
 */
function metricAttributes(result: VerifyResult): Attributes {
  return result.ok ? { [ATTR.outcome]: 'allowed' } : { [ATTR.outcome]: 'denied', [ATTR.reason]: result.code };
}

/**
 * The attributes of one verification's span: the metric attributes, the action, who the key
 * belongs to when the result names a principal, and the client address when given. Nothing
 * here comes from the token.
 *
 * @internal
 */
export function verificationSpanAttributes(result: VerifyResult, request: VerifyRequest): Attributes {
  const attributes: Attributes = { ...metricAttributes(result), [ATTR.action]: request.action };
  // Only what the result itself holds: a success carries its principal, a refusal (so far) does not.
  const principal = 'principal' in result ? result.principal : undefined;
  if (principal !== undefined) {
    attributes[ATTR.keyId] = principal.keyId;
    attributes[ATTR.tenantId] = principal.tenantId;
    attributes[ATTR.serviceAccountId] = principal.serviceAccountId;
  }
  if (typeof request.ip === 'string' && request.ip !== '') attributes[ATTR.clientAddress] = request.ip;
  return attributes;
}

/**
 * Records one settled verification: a `keyward.verify` span that started `durationMs` ago and
 * ends now (created and ended at once, so `verify` never waits on the tracer), one count on
 * `keyward.verifications` and one value on `keyward.verify.duration`.
 *
 * @internal
 */
export function recordVerification(
  tracer: Tracer,
  instruments: KeywardInstruments,
  result: VerifyResult,
  request: VerifyRequest,
  durationMs: number,
): void {
  const duration = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0;
  const endTime = epochNowMs();
  const span = tracer.startSpan('keyward.verify', {
    kind: SpanKind.INTERNAL,
    startTime: endTime - duration,
    attributes: verificationSpanAttributes(result, request),
  });
  if (!result.ok && FAULT_CODES.has(result.code)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: result.code });
  }
  span.end(endTime);
  const attributes = metricAttributes(result);
  instruments.verifications.add(1, attributes);
  instruments.verifyDuration.record(duration, attributes);
}
