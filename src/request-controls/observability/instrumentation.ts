import type { VerifyRequest, VerifyResult } from '../../verify/verify-result.js';

/**
 * Hooks keyward calls so a host can watch the request path and management calls, e.g. with
 * OpenTelemetry (`openTelemetry()` from `keyward/opentelemetry`). Every hook is synchronous or
 * fire-and-forget; a throw is reported to `onBackgroundError` and never changes an answer.
 * Nothing handed to a hook holds a secret: the token is never passed.
 */
export interface KeywardInstrumentation {
  /**
   * Called once per `kw.verify`, after it settled, with its result, the request (as given) and
   * how long it took in ms.
   */
  verified?(result: VerifyResult, request: VerifyRequest, durationMs: number): void;
  /**
   * Wraps one management call (`serviceAccounts.create`, `keys.revoke`, ...): call `run` exactly
   * once and answer what it answers (or rethrow what it throws).
   */
  managementCall?<T>(name: string, run: () => Promise<T>): Promise<T>;
}
