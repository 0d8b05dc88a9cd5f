/**
 * `keyward/schemas`: the zod schemas keyward validates with, for hosts that validate request
 * bodies or stored records before handing them over, or build forms from them. The management
 * APIs parse their inputs with these same schemas; the types of the root entry are what they
 * accept.
 *
 * @example
 * ```ts
 * import { createServiceAccountInputSchema } from 'keyward/schemas';
 *
 * const parsed = createServiceAccountInputSchema.safeParse({ workspaceId: 'w_1', name: 'ETL', roles: [] });
 * ```
 *
 * @packageDocumentation
 * @module keyward/schemas
 */
export {
  actorRefSchema,
  auditActorSchema,
  systemActorRefSchema,
  userActorSchema,
} from '../entities/actor.js';
export {
  apiKeySchema,
  keyEnvironmentSchema,
  keyStatusSchema,
  scopeListSchema,
  storedKeyStatusSchema,
} from '../entities/api-key.js';
export {
  auditActionSchema,
  auditEventSchema,
  requestContextSchema,
} from '../entities/audit-event.js';
export { followAuditInputSchema, listAuditInputSchema } from '../entities/audit-inputs.js';
export {
  type DatasetGrant,
  datasetAccessSchema,
  datasetGrantSchema,
  datasetIdListSchema,
  MAX_SELECTED_DATASETS,
} from '../entities/dataset-grant.js';
export {
  auditEventIdSchema,
  datasetIdSchema,
  grantPatternSchema,
  hostIdSchema,
  keyIdSchema,
  permissionNameSchema,
  roleNameSchema,
  serviceAccountIdSchema,
  tenantIdSchema,
  workspaceIdSchema,
} from '../entities/ids.js';
export { ipAllowlistInputSchema } from '../entities/ip-allowlist-input.js';
export { keyCreditsInputSchema } from '../entities/key-credits-input.js';
export {
  issueKeyInputSchema,
  keyRefInputSchema,
  listKeysInputSchema,
  MAX_GRACE_PERIOD_SECONDS,
  newKeySchema,
  queryKeysInputSchema,
  regenerateKeyInputSchema,
  updateKeyInputSchema,
} from '../entities/key-inputs.js';
export { MAX_SWEEP_BATCH, sweepKeysInputSchema } from '../entities/key-sweep-inputs.js';
export { cursorSchema, limitSchema } from '../entities/pagination.js';
export { reassignKeysInputSchema } from '../entities/reassign-keys-inputs.js';
export {
  creditRefillSchema,
  keyCreditsSchema,
  rateLimitListSchema,
  rateLimitRuleSchema,
  storedIpAllowlistSchema,
} from '../entities/request-controls.js';
export { type Role, roleListSchema, roleSchema } from '../entities/role.js';
export { serviceAccountSchema, serviceAccountStatusSchema } from '../entities/service-account.js';
export {
  changeDatasetsInputSchema,
  createServiceAccountInputSchema,
  listServiceAccountsInputSchema,
  serviceAccountRefInputSchema,
  setDatasetAccessInputSchema,
  updateServiceAccountInputSchema,
} from '../entities/service-account-inputs.js';
export {
  contactEmailSchema,
  descriptionSchema,
  type Metadata,
  metadataSchema,
  nameSchema,
  PLAIN_TEXT,
  PLAIN_TEXT_MESSAGE,
  plainTextSchema,
} from '../entities/text.js';
export { type WorkspaceBinding, workspaceBindingSchema } from '../entities/workspace-binding.js';
export { sampleCodeInputSchema } from '../http/sample-code.js';
export { pepperIdSchema } from '../keys/pepper.js';
export { secretLengthSchema } from '../keys/secret-length.js';
export { tokenPrefixSchema } from '../keys/token-prefix.js';
export { tokenPrefixesSchema } from '../keys/token-prefixes.js';
export {
  leakReportSchema,
  leakReportsSchema,
  MAX_LEAK_REPORTS,
} from '../management/keys/leak-reports.js';
