/**
 * keyward: service accounts and API keys with least privilege for multi-tenant APIs.
 *
 * @packageDocumentation
 */
export type { DatasetsInWorkspace, KeywardConfig, ResolveActor } from './config.js';
export * from './entities/index.js';
export * from './errors/index.js';
export * from './http/index.js';
export * from './keys/index.js';
export { createKeyward, type Keyward } from './keyward.js';
export type { Actor } from './management/actor.js';
export type { AuditApi } from './management/audit/audit-api.js';
export type { CallMeta } from './management/call-meta.js';
export type { IssuedKey } from './management/keys/key-minting.js';
export type { KeysApi } from './management/keys/keys-api.js';
export type { CreatedServiceAccount } from './management/service-accounts/service-account-create.js';
export type { ServiceAccountsApi } from './management/service-accounts/service-accounts-api.js';
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
