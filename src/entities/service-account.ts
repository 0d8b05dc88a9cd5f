import { z } from 'zod';
import { actorRefSchema } from './actor.js';
import { datasetAccessSchema } from './dataset-grant.js';
import { hostIdSchema, serviceAccountIdSchema, tenantIdSchema, workspaceIdSchema } from './ids.js';
import { rateLimitListSchema, storedIpAllowlistSchema } from './request-controls.js';
import { roleListSchema } from './role.js';
import { contactEmailSchema, descriptionSchema, metadataSchema, nameSchema } from './text.js';

/** Status of a service account. A disabled account's keys all stop working at once. */
export const serviceAccountStatusSchema = z.enum(['active', 'disabled']);

/** Status of a service account. */
export type ServiceAccountStatus = z.infer<typeof serviceAccountStatusSchema>;

/**
 * What an account row is: a `service` account (a machine identity, what `kw.serviceAccounts`
 * manages), or the hidden `personal` account holding one person's own keys in one workspace
 * (what `kw.personalKeys` manages; never shown or touched by `kw.serviceAccounts`).
 */
export const accountKindSchema = z.enum(['service', 'personal']);

/** What an account row is: `service` or `personal` (see `kw.personalKeys`). */
export type AccountKind = 'service' | 'personal';

/**
 * A service account: a machine identity bound to one workspace, owning API keys.
 * `version` increases with every change (optimistic concurrency).
 *
 * `ownerUserId` is set only on a personal account (the person whose own keys it holds, see
 * `kw.personalKeys`); a service account never has it.
 */
export const serviceAccountSchema = z.strictObject({
  id: serviceAccountIdSchema,
  tenantId: tenantIdSchema,
  workspaceId: workspaceIdSchema,
  name: nameSchema,
  description: descriptionSchema.nullable(),
  contactEmail: contactEmailSchema.nullable(),
  roles: roleListSchema,
  readOnly: z.boolean(),
  datasetAccess: datasetAccessSchema,
  status: serviceAccountStatusSchema,
  createdBy: actorRefSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number().int().min(1),
  metadata: metadataSchema,
  ownerUserId: hostIdSchema.optional(),
  /**
   * The addresses the account's keys may be used from: normalised CIDR blocks, or `null` for any
   * address. A key with an allowlist of its own must pass both.
   */
  ipAllowlist: storedIpAllowlistSchema.nullable(),
  /** Rate limits counting the requests of all the account's keys together; `[]` for none. */
  rateLimits: rateLimitListSchema,
});

/** The kind of an account record: `personal` when it has an owner. @internal */
export function accountKind(account: { readonly ownerUserId?: string | undefined }): AccountKind {
  return account.ownerUserId === undefined ? 'service' : 'personal';
}

/** A service account. */
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;
