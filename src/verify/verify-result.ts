import type { Decision, KeyPrincipal, ReasonCode } from '../policy/index.js';

/**
 * Why a verification failed before the policy could decide: the token was malformed, no key
 * has its id, the secret did not match, or storage could not be read.
 */
export type CredentialFailureCode =
  | 'malformed_token'
  | 'key_not_found'
  | 'invalid_secret'
  | 'storage_unavailable';

/** Why a verification failed: a credential failure, or the reason of the denying decision. */
export type VerifyFailureCode = CredentialFailureCode | Exclude<ReasonCode, 'allowed'>;

/**
 * What `kw.verify` answers. Never an exception: a malformed token, an unknown key, a wrong secret
 * and a policy denial all come back as `{ ok: false, code }`. The detail in `code` is for the
 * host's logs and audit; callers should get one identical 401 for every credential failure.
 */
export type VerifyResult =
  | { readonly ok: true; readonly principal: KeyPrincipal; readonly decision: Decision }
  | { readonly ok: false; readonly code: VerifyFailureCode; readonly decision?: Decision | undefined };

/** A request to verify: the action and the resource it touches. */
export interface VerifyRequest {
  /** A permission of the catalog, e.g. `datasets:read`. */
  readonly action: string;
  /** What the request touches, resolved by the host (never taken from the key). */
  readonly resource: {
    readonly tenantId: string;
    readonly workspaceId?: string | undefined;
    readonly datasetId?: string | undefined;
  };
  /** The caller's IP address, for the host's records. */
  readonly ip?: string | undefined;
  /** Evaluation time in epoch ms (default: the configured clock). */
  readonly now?: number | undefined;
  /** Ask the policy for a full trace of the decision. */
  readonly explain?: boolean | undefined;
}
