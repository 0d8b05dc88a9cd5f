/**
 * `keyward`: service accounts and API keys with least privilege for multi-tenant APIs.
 *
 * The root entry holds what a host writes against: {@link createKeyward} and its configuration,
 * the actors, principals and results the instance takes and returns, the entities and
 * management inputs, the catalog builders, errors and the `StorageAdapter` a host passes in. Every name
 * is listed here one by one; `api/keyward.api.md` records the surface. Lower-level parts live on
 * their own subpaths: `keyward/policy` (the compiled policy), `keyward/keys` (token format and
 * hashing), `keyward/http` (the framework-free guard the adapters use), `keyward/schemas` (the
 * zod schemas of every input and entity), `keyward/storage` (the storage contract in full, for
 * adapter authors).
 *
 * @example
 * ```ts
 * import { createKeyward } from 'keyward';
 * import { memoryAdapter } from 'keyward/adapters/memory';
 *
 * const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
 * ```
 *
 * @packageDocumentation
 * @module keyward
 */

export type { DatasetsInWorkspace, KeywardConfig, ResolveActor } from './config.js';
export type { ActorRef, AuditActor, SystemActorRef, UserActor } from './entities/actor.js';
export type { ApiKeyInfo, KeyEnvironment, KeyStatus } from './entities/api-key.js';
export type { AuditAction, AuditEvent, AuditSnapshot, RequestContext } from './entities/audit-event.js';
export type { AuditFollowPage, FollowAuditInput, ListAuditInput } from './entities/audit-inputs.js';
export type { DatasetAccess, DatasetAccessInput } from './entities/dataset-grant.js';
export type { KeyCreditsInput } from './entities/key-credits-input.js';
export type {
  IssueKeyInput,
  KeyRefInput,
  ListKeysInput,
  NewKeyInput,
  QueryKeysInput,
  RegenerateKeyInput,
  UpdateKeyInput,
} from './entities/key-inputs.js';
export type { SweepKeysInput, SweepOutcome } from './entities/key-sweep-inputs.js';
export type { Page } from './entities/pagination.js';
export type {
  IssuePersonalKeyInput,
  ListAllPersonalKeysInput,
  ListPersonalKeysInput,
  PersonalKeyRefInput,
} from './entities/personal-key-inputs.js';
export type { ReassignKeysInput } from './entities/reassign-keys-inputs.js';
export type { KeyCredits, RateLimitRule } from './entities/request-controls.js';
export type { AccountKind, ServiceAccount, ServiceAccountStatus } from './entities/service-account.js';
export type {
  ChangeDatasetsInput,
  CreateServiceAccountInput,
  ListServiceAccountsInput,
  ServiceAccountRefInput,
  SetDatasetAccessInput,
  UpdateServiceAccountInput,
} from './entities/service-account-inputs.js';
export { ERROR_CODES, type ErrorCode } from './errors/error-codes.js';
export type { KeywardErrorDetails, NoErrorDetails, StorageErrorDetails } from './errors/error-details.js';
export {
  type AnyKeywardError,
  isKeywardError,
  KeywardError,
  type KeywardErrorDetailsOf,
  type KeywardErrorOptions,
  type ValidationIssue,
} from './errors/keyward-error.js';
export {
  SAMPLE_CODE_LANGUAGES,
  type SampleCodeInput,
  type SampleCodeLanguage,
  sampleCode,
} from './http/sample-code.js';
export type { Hasher } from './keys/hasher.js';
export type { Pepper } from './keys/pepper.js';
export type { TokenPrefixes } from './keys/token-prefixes.js';
export { createKeyward, type Keyward } from './keyward.js';
export type { Actor } from './management/actor.js';
export type { AuditApi } from './management/audit/audit-api.js';
export type { CallMeta } from './management/call-meta.js';
export type {
  KeyCreatedEvent,
  KeyDisabledEvent,
  KeyEnabledEvent,
  KeyEvent,
  KeyEventType,
  KeyExpiredEvent,
  KeyExpiringSoonEvent,
  KeyLeakedEvent,
  KeyRegeneratedEvent,
  KeyRevokedEvent,
  KeySweptEvent,
  KeyUpdatedEvent,
  KeywardEvent,
  KeywardEventBase,
  KeywardEventType,
  ServiceAccountCreatedEvent,
  ServiceAccountDeletedEvent,
  ServiceAccountDisabledEvent,
  ServiceAccountEnabledEvent,
  ServiceAccountEvent,
  ServiceAccountEventType,
  ServiceAccountUpdatedEvent,
} from './management/events/keyward-event.js';
export type { IssuedKey } from './management/keys/key-minting.js';
export type { KeysApi } from './management/keys/keys-api.js';
export type {
  LeakReport,
  LeakReportMode,
  LeakReportOptions,
  LeakReportOutcome,
  LeakReportResult,
} from './management/keys/leak-reports.js';
export type { PersonalKeysApi } from './management/personal-keys/personal-keys-api.js';
export type { ReassignedKeys } from './management/service-accounts/reassign-keys.js';
export type {
  CatalogInput,
  ServiceAccountCatalog,
} from './management/service-accounts/service-account-catalog.js';
export type { CreatedServiceAccount } from './management/service-accounts/service-account-create.js';
export type { ServiceAccountsApi } from './management/service-accounts/service-accounts-api.js';
export type { AllowDecision, Decision, DenyDecision, DenyReason } from './policy/decision.js';
export { defaultPermissions, defaultRoles } from './policy/default-catalog.js';
export type { ForbidRule } from './policy/forbid-rule.js';
export {
  definePermissions,
  type PermissionCatalog,
  type PermissionSpec,
} from './policy/permission-catalog.js';
export { REASON_CODES, type ReasonCode } from './policy/reason-codes.js';
export type { Resource } from './policy/resource.js';
export { defineRoles, type RoleCatalog, type RoleSet, type RoleSpec } from './policy/role-catalog.js';
export { type MemoryRateLimiterOptions, memoryRateLimiter } from './request-controls/memory-rate-limiter.js';
export type { KeywardInstrumentation } from './request-controls/observability/instrumentation.js';
export type {
  RateLimitCheck,
  RateLimiter,
  RateLimitOutcome,
  RateLimitState,
} from './request-controls/rate-limiter.js';
export type { StorageAdapter } from './storage/storage-adapter.js';
export type { VerifiedPrincipal } from './verify/verified-principal.js';
export type {
  ControlFailureCode,
  CredentialFailureCode,
  RateLimitStatus,
  ResourceResolver,
  VerifyCredentialFailure,
  VerifyFailure,
  VerifyFailureCode,
  VerifyIpRefusal,
  VerifyLimitRefusal,
  VerifyPolicyDenial,
  VerifyRequest,
  VerifyResult,
  VerifySuccess,
} from './verify/verify-result.js';
