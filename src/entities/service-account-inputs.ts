import { z } from 'zod';
import { type DatasetAccessInput, datasetAccessSchema, datasetIdListSchema } from './dataset-grant.js';
import { serviceAccountIdSchema, workspaceIdSchema } from './ids.js';
import { ipAllowlistInputSchema } from './ip-allowlist-input.js';
import { type NewKeyInput, newKeySchema } from './key-inputs.js';
import { cursorSchema, limitSchema } from './pagination.js';
import { type RateLimitRule, rateLimitListSchema } from './request-controls.js';
import { roleListSchema } from './role.js';
import { type ServiceAccountStatus, serviceAccountStatusSchema } from './service-account.js';
import { contactEmailSchema, descriptionSchema, metadataSchema, nameSchema } from './text.js';

/**
 * `kw.serviceAccounts.create(actor, input)`. The tenant comes from the actor and the creator is
 * the actor: neither is a field here.
 */
export const createServiceAccountInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema,
  name: nameSchema,
  description: descriptionSchema.optional(),
  contactEmail: contactEmailSchema.optional(),
  roles: roleListSchema,
  readOnly: z.boolean().default(false),
  datasetAccess: datasetAccessSchema.default({ mode: 'all' }),
  metadata: metadataSchema.default({}),
  /** The addresses every key of the account may be used from (normalised CIDR blocks); `null` or absent: any. */
  ipAllowlist: ipAllowlistInputSchema.nullable().optional(),
  /** Rate limits counting the requests of all the account's keys together; absent: none. */
  rateLimits: rateLimitListSchema.optional(),
  /** Issue the first key in the same transaction. */
  firstKey: newKeySchema.optional(),
});

/**
 * Input of `kw.serviceAccounts.create`. `R` is the catalog's role names and `S` the grant
 * patterns over its permissions (for the first key's scopes), so a typo does not compile.
 */
export interface CreateServiceAccountInput<R extends string = string, S extends string = string> {
  /** The workspace the account is bound to (of the actor's tenant). */
  workspaceId: string;
  /** A display name (1-100 characters of plain text). */
  name: string;
  /** A free description (at most 500 characters). */
  description?: string | undefined;
  /** Who to contact about the integration. */
  contactEmail?: string | undefined;
  /** 1-20 distinct roles, each assignable to service accounts. */
  roles: readonly R[];
  /** Only `read` actions, for every key of the account (default `false`). */
  readOnly?: boolean | undefined;
  /** `{ mode: 'all' }` (default) or `{ mode: 'selected', datasetIds }`. */
  datasetAccess?: DatasetAccessInput | undefined;
  /** Host metadata: up to 20 entries of short text, numbers, booleans or null. */
  metadata?: Readonly<Record<string, string | number | boolean | null>> | undefined;
  /**
   * The addresses every key of the account may be used from: 1-1000 IP addresses or CIDR blocks,
   * stored in canonical form; `null` or absent: any address.
   */
  ipAllowlist?: readonly string[] | null | undefined;
  /** Rate limits (at most 10 with distinct names) counting the requests of all the account's keys together. */
  rateLimits?: readonly RateLimitRule[] | undefined;
  /** Issue the first key in the same transaction. */
  firstKey?: NewKeyInput<S> | undefined;
}

/** Optional optimistic-concurrency guard: the call fails with `CONFLICT` if the account moved on. */
const expectedVersionSchema = z.number().int().min(1).optional();

/** `kw.serviceAccounts.update(actor, input)`: any subset of the editable fields. */
export const updateServiceAccountInputSchema = z
  .strictObject({
    id: serviceAccountIdSchema,
    expectedVersion: expectedVersionSchema,
    name: nameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    contactEmail: contactEmailSchema.nullable().optional(),
    roles: roleListSchema.optional(),
    readOnly: z.boolean().optional(),
    metadata: metadataSchema.optional(),
    /** A new IP allowlist replacing the account's, or `null` to remove it (any address). */
    ipAllowlist: ipAllowlistInputSchema.nullable().optional(),
    /** New rate limits replacing the account's (`[]` removes them). */
    rateLimits: rateLimitListSchema.optional(),
  })
  .refine((value) => Object.keys(value).some((key) => key !== 'id' && key !== 'expectedVersion'), {
    message: 'Nothing to update',
  });

/** Input of `kw.serviceAccounts.update`: the account and at least one field to change. */
export interface UpdateServiceAccountInput<R extends string = string> {
  /** The account. */
  id: string;
  /** Fails with `CONFLICT` unless the account is still at this version. */
  expectedVersion?: number | undefined;
  /** A new display name. */
  name?: string | undefined;
  /** A new description, or `null` to remove it. */
  description?: string | null | undefined;
  /** A new contact email, or `null` to remove it. */
  contactEmail?: string | null | undefined;
  /** The new roles (1-20 distinct), replacing the old ones. */
  roles?: readonly R[] | undefined;
  /** Only `read` actions, for every key of the account. */
  readOnly?: boolean | undefined;
  /** New host metadata, replacing the old. */
  metadata?: Readonly<Record<string, string | number | boolean | null>> | undefined;
  /**
   * A new IP allowlist (1-1000 addresses or CIDR blocks, stored in canonical form) replacing the
   * account's, or `null` to remove it.
   */
  ipAllowlist?: readonly string[] | null | undefined;
  /** New rate limits replacing the account's (`[]` removes them). A key may not change its own account's. */
  rateLimits?: readonly RateLimitRule[] | undefined;
}

/** `kw.serviceAccounts.setDatasetAccess(actor, input)`: replace dataset access. */
export const setDatasetAccessInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  expectedVersion: expectedVersionSchema,
  datasetAccess: datasetAccessSchema,
});

/** Input of `kw.serviceAccounts.setDatasetAccess`. */
export interface SetDatasetAccessInput {
  /** The account. */
  id: string;
  /** Fails with `CONFLICT` unless the account is still at this version. */
  expectedVersion?: number | undefined;
  /** The new access: `{ mode: 'all' }` or `{ mode: 'selected', datasetIds }`. */
  datasetAccess: DatasetAccessInput;
}

/** `kw.serviceAccounts.grantDatasets` / `revokeDatasets`: add or remove selected datasets. */
export const changeDatasetsInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  expectedVersion: expectedVersionSchema,
  datasetIds: datasetIdListSchema,
});

/** Input of `kw.serviceAccounts.grantDatasets` and `revokeDatasets`. */
export interface ChangeDatasetsInput {
  /** The account (its access must be `selected`). */
  id: string;
  /** Fails with `CONFLICT` unless the account is still at this version. */
  expectedVersion?: number | undefined;
  /** 1-1000 distinct dataset ids to add or remove. */
  datasetIds: readonly string[];
}

/** `get`, `disable`, `enable`, `delete` of one account. */
export const serviceAccountRefInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  expectedVersion: expectedVersionSchema,
});

/** Input naming one account. */
export interface ServiceAccountRefInput {
  /** The account. */
  id: string;
  /** Fails with `CONFLICT` unless the account is still at this version. */
  expectedVersion?: number | undefined;
}

/** `kw.serviceAccounts.list(actor, input)`: the actor's tenant, optionally one workspace / status. */
export const listServiceAccountsInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema.optional(),
  status: serviceAccountStatusSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.serviceAccounts.list`. */
export interface ListServiceAccountsInput {
  /** Only accounts of this workspace. */
  workspaceId?: string | undefined;
  /** Only accounts with this status. */
  status?: ServiceAccountStatus | undefined;
  /** Page size, 1-100 (default 50). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}
