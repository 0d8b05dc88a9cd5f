import {
  type CredentialExtractionOptions,
  type CredentialExtractor,
  createCredentialExtractor,
} from '../http/credential-extraction.js';
import {
  type FailedVerificationThrottleOptions,
  failureThrottleOf,
  throttledVerify,
} from '../http/failed-verification-throttle.js';
import { httpDenial } from '../http/http-denial.js';
import { type VerifyFailureFacts, verifyDenial } from '../http/verify-denial.js';
import type { Keyward } from '../keyward.js';
import type { Actor } from '../management/actor.js';
import type { AuthenticateHook, ManagementRequest, ManagementResponse } from './management-request.js';

/** Who a request acts for, or the ready answer refusing it. @internal */
export type ActorOutcome =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly response: ManagementResponse };

/** Finds the actor of a management request. @internal */
export type ActorFinder = (request: ManagementRequest, action: string) => Promise<ActorOutcome>;

/**
 * Builds the actor lookup: the host's `authenticate` hook first (a person's session); when it
 * answers `null`, the request's keyward API key, verified with `kw.verify` for the route's
 * permission on the key's own workspace: the key then acts as its verified principal, within its
 * own rights, and the management call authorizes the real target again. A request with neither
 * gets the request guard's 401; a bad key the same 401, whatever was wrong with it; a session
 * together with any API-key credential 400 `multiple_credentials` (which one acts would be
 * ambiguous). The token is never logged nor put in an answer.
 *
 * @internal
 */
export function createActorFinder(
  kw: Keyward,
  authenticate: AuthenticateHook,
  realm: string,
  credentials: CredentialExtractionOptions = {},
  throttle: FailedVerificationThrottleOptions | false | undefined = undefined,
): ActorFinder {
  const extract: CredentialExtractor = createCredentialExtractor(credentials);
  const verify = throttledVerify(
    (token: string, request: Parameters<Keyward['verify']>[1]) => kw.verify(token, request),
    failureThrottleOf(throttle),
  );
  const refuse = (failure: string | VerifyFailureFacts, action: string): ActorOutcome => {
    const denial =
      typeof failure === 'string'
        ? httpDenial(failure, { realm, action })
        : verifyDenial(failure, { realm, action });
    return { ok: false, response: { status: denial.status, headers: denial.headers, body: denial.body } };
  };
  // A host session may itself travel as `Authorization: Bearer <JWT>`: next to a session, only a
  // credential shaped like this instance's keys (`<prefix>_...`) is a second credential.
  const keyPrefixes = Object.values(kw.tokenPrefixes).map((prefix) => `${prefix}_`);
  const looksLikeKey = (token: string) => keyPrefixes.some((prefix) => token.startsWith(prefix));
  return async (request, action) => {
    const person = await authenticate(request);
    const credential = extract({ headers: request.headers, url: request.path });
    if (person !== null && person !== undefined) {
      if (credential.kind === 'missing') return { ok: true, actor: person };
      if (
        credential.kind === 'token' &&
        credential.source === 'authorization' &&
        !looksLikeKey(credential.token)
      )
        return { ok: true, actor: person };
      // A malformed credential is refused for what it is (a key in the URL above all); a valid
      // one beside a session is ambiguous: one credential per request.
      return refuse(credential.kind === 'invalid' ? credential.reason : 'multiple_credentials', action);
    }
    if (credential.kind === 'missing') return refuse('missing_credentials', action);
    if (credential.kind === 'invalid') return refuse(credential.reason, action);
    const result = await verify(credential.token, {
      action,
      resource: (principal) => ({ tenantId: principal.tenantId, workspaceId: principal.workspaceId }),
      ip: request.ip,
    });
    return result.ok ? { ok: true, actor: result.principal } : refuse(result, action);
  };
}
