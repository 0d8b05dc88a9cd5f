/**
 * keyward: service accounts and API keys with least privilege for multi-tenant APIs.
 *
 * @packageDocumentation
 */
export type { Actor } from './accounts/acting-principal.js';
export type { IssuedKey } from './accounts/key-minting.js';
export type { KeysApi } from './accounts/keys-api.js';
export type { CallMeta } from './accounts/lifecycle-context.js';
export type { CreatedServiceAccount } from './accounts/service-account-create.js';
export type { ServiceAccountsApi } from './accounts/service-accounts-api.js';
export type { AuditApi } from './audit/audit-api.js';
export type { DatasetsInWorkspace, KeywardConfig, ResolveActor } from './config.js';
export * from './entities/index.js';
export * from './errors/index.js';
export * from './http/index.js';
export * from './keys/index.js';
export { createKeyward, type Keyward } from './keyward.js';
export * from './policy/index.js';
export type * from './storage/index.js';
export type { VerifiedPrincipal } from './verify/verified-principal.js';
export type {
  CredentialFailureCode,
  ResourceResolver,
  VerifyFailureCode,
  VerifyRequest,
  VerifyResult,
} from './verify/verify-result.js';
