import type { VerifyRequest, VerifyResult } from '../../verify/verify-result.js';
import type { KeywardInstrumentation } from './instrumentation.js';

/** What the verifier tells of each result. @internal */
export type VerifyObserver = (result: VerifyResult, request: VerifyRequest, durationMs: number) => void;

/**
 * The one observer of verifications: the host's `onVerify`, then the instrumentation's `verified`;
 * a throw of either is reported and changes nothing. `undefined` when there is neither, so the
 * request path skips timing altogether.
 *
 * @internal
 */
export function verifyObserver(
  onVerify: ((result: VerifyResult, request: VerifyRequest) => void) | undefined,
  instrumentation: KeywardInstrumentation | undefined,
  onError: (error: unknown) => void,
): VerifyObserver | undefined {
  const verified = instrumentation?.verified?.bind(instrumentation);
  if (onVerify === undefined && verified === undefined) return undefined;
  return (result, request, durationMs) => {
    if (onVerify !== undefined) {
      try {
        onVerify(result, request);
      } catch (error) {
        onError(error);
      }
    }
    if (verified !== undefined) {
      try {
        verified(result, request, durationMs);
      } catch (error) {
        onError(error);
      }
    }
  };
}

/**
 * The same API object with every method call run inside `instrumentation.managementCall`, named
 * `<scope>.<method>`. The call's own answer or error always stands: a hook that throws before
 * running the call is reported and the call runs anyway; one that fails after it keeps its answer.
 *
 * @internal
 */
export function instrumentedCalls<T extends object>(
  api: T,
  scope: string,
  instrumentation: KeywardInstrumentation | undefined,
  onError: (error: unknown) => void,
): T {
  const hook = instrumentation?.managementCall?.bind(instrumentation);
  if (hook === undefined) return api;
  return new Proxy(api, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        let call: Promise<unknown> | undefined;
        const run = () => {
          call ??= (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          return call;
        };
        try {
          return await hook(`${scope}.${property}`, run);
        } catch (error) {
          if (call === undefined) {
            onError(error);
            return run();
          }
          // The call's own rejection passes through; a failure of the hook after it keeps its answer.
          if (!(await settledWithError(call, error))) onError(error);
          return call;
        }
      };
    },
  });
}

/** True when `call` rejected with exactly `error`. */
async function settledWithError(call: Promise<unknown>, error: unknown): Promise<boolean> {
  try {
    await call;
    return false;
  } catch (own) {
    return own === error;
  }
}
