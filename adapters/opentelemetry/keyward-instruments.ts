import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/**
 * Bucket boundaries (ms) for `keyward.verify.duration`: a cached verification takes well under
 * a millisecond and one that reads storage a few, finer than the SDK's default buckets (which
 * start at 5 ms).
 */
const VERIFY_DURATION_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/**
 * The metric instruments keyward records to.
 *
 * @internal
 */
export interface KeywardInstruments {
  /**
   * `keyward.verifications` (counter, `{verification}`): one per `kw.verify`, with
   * `keyward.outcome` (`allowed` | `denied`) and, when denied, `keyward.reason` (the result's code).
   */
  readonly verifications: Counter;
  /**
   * `keyward.verify.duration` (histogram, `ms`): how long each `kw.verify` took, with the same
   * attributes as `keyward.verifications`.
   */
  readonly verifyDuration: Histogram;
  /**
   * `keyward.management.calls` (counter, `{call}`): one per management call, with
   * `keyward.operation` (`keys.revoke`, ...), `keyward.outcome` (`success` | `error`) and, on an
   * error, `error.type` (the `KeywardError` code, else the error's name).
   */
  readonly managementCalls: Counter;
}

/**
 * Creates keyward's instruments on `meter`.
 *
 * @internal
 */
export function createKeywardInstruments(meter: Meter): KeywardInstruments {
  return {
    verifications: meter.createCounter('keyward.verifications', {
      description: 'Verifications of API keys (kw.verify), by outcome and refusal reason.',
      unit: '{verification}',
    }),
    verifyDuration: meter.createHistogram('keyward.verify.duration', {
      description: 'Duration of kw.verify, from the call to its answer.',
      unit: 'ms',
      advice: { explicitBucketBoundaries: VERIFY_DURATION_BUCKETS_MS },
    }),
    managementCalls: meter.createCounter('keyward.management.calls', {
      description:
        'Management calls (service accounts, keys, personal keys, audit), by operation and outcome.',
      unit: '{call}',
    }),
  };
}
