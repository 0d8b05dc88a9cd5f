/**
 * The attribute keys keyward's spans and metrics carry. Keyward's own are namespaced
 * `keyward.*` in snake_case, as OpenTelemetry semantic conventions ask of a library's
 * attributes; `client.address` and `error.type` are the semantic conventions' own.
 * No value is ever a secret or derived from one: the token never reaches the hooks.
 *
 * @internal
 */
export const KEYWARD_ATTRIBUTES = Object.freeze({
  /** `allowed` or `denied` (a verification); `success` or `error` (a management call). */
  outcome: 'keyward.outcome',
  /** The refusal code of a denied verification (`VerifyResult.code`), e.g. `key_revoked`. */
  reason: 'keyward.reason',
  /** The action the verification asked for, e.g. `datasets:read`. */
  action: 'keyward.action',
  /** The public key id of the verified principal. */
  keyId: 'keyward.key_id',
  /** The tenant of the verified principal. */
  tenantId: 'keyward.tenant_id',
  /** The service account that owns the verified key. */
  serviceAccountId: 'keyward.service_account_id',
  /** The management operation, e.g. `keys.revoke`. */
  operation: 'keyward.operation',
  /** The `KeywardError` code a management call failed with, e.g. `NOT_FOUND`. */
  errorCode: 'keyward.error_code',
  /** The caller's address (`VerifyRequest.ip`), as the semantic conventions name it. */
  clientAddress: 'client.address',
  /** The class of a failure (semantic conventions): the `KeywardError` code, else the error's name. */
  errorType: 'error.type',
});
