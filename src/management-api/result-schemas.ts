/**
 * zod schemas of what management calls return, for the OpenAPI document: each is built from the
 * entity schemas, and the compile-time checks at the end keep it equal to the call's TypeScript
 * result type. Bodies are these values through `JSON.stringify` (a `Date` becomes an ISO string).
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { type ApiKeyInfo, apiKeySchema, keyStatusSchema } from '../entities/api-key.js';
import { type AuditEvent, auditEventSchema } from '../entities/audit-event.js';
import type { AuditFollowPage } from '../entities/audit-inputs.js';
import { permissionNameSchema, roleNameSchema } from '../entities/ids.js';
import type { SweepOutcome } from '../entities/key-sweep-inputs.js';
import { cursorSchema, type Page } from '../entities/pagination.js';
import { type ServiceAccount, serviceAccountSchema } from '../entities/service-account.js';
import type { Holds, Writable } from '../entities/type-checks.js';
import type { IssuedKey } from '../management/keys/key-minting.js';
import type { ReassignedKeys } from '../management/service-accounts/reassign-keys.js';
import type { ServiceAccountCatalog } from '../management/service-accounts/service-account-catalog.js';
import type { CreatedServiceAccount } from '../management/service-accounts/service-account-create.js';

/** A key as management calls show it: every field but the digests, with its derived status. @internal */
export const apiKeyInfoSchema = apiKeySchema
  .omit({
    hash: true,
    hashVersion: true,
    pepperId: true,
    previousHash: true,
    previousHashVersion: true,
    previousPepperId: true,
    status: true,
  })
  .extend({ status: keyStatusSchema, previousSecretActive: z.boolean() });

/** A key with its token, shown this once (issue, regenerate, a create with `firstKey`). @internal */
export const issuedKeySchema = z.strictObject({ key: apiKeyInfoSchema, token: z.string() });

/** The result of a create: the account, and its first key when one was asked for. @internal */
export const createdServiceAccountSchema = z.strictObject({
  account: serviceAccountSchema,
  key: issuedKeySchema.optional(),
});

/**
 * Ready-to-run code for a key whose token is in the same answer, against its workspace's
 * endpoints: only when the host gave `endpointsBaseUrl`. @internal
 */
export const keySampleCodeSchema = z.strictObject({
  baseUrl: z.string(),
  curl: z.string(),
  typescript: z.string(),
  python: z.string(),
});

/** A key with its token as the API answers it: with `sampleCode` holding that token when configured. @internal */
export const answeredKeySchema = issuedKeySchema.extend({ sampleCode: keySampleCodeSchema.optional() });

/** A create as the API answers it: the first key as {@link answeredKeySchema}. @internal */
export const answeredCreatedAccountSchema = createdServiceAccountSchema.extend({
  key: answeredKeySchema.optional(),
});

/** One page of `item`s; `nextCursor` is null on the last page. */
function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: cursorSchema.nullable() });
}

/** A page of service accounts. @internal */
export const serviceAccountPageSchema = pageOf(serviceAccountSchema);
/** A page of keys. @internal */
export const apiKeyPageSchema = pageOf(apiKeyInfoSchema);
/** A page of audit events. @internal */
export const auditEventPageSchema = pageOf(auditEventSchema);

/** One read of `kw.audit.follow`. @internal */
export const auditFollowPageSchema = z.strictObject({
  items: z.array(auditEventSchema),
  cursor: cursorSchema,
  caughtUp: z.boolean(),
});

/** What a "create service account" form may propose to the caller. @internal */
export const serviceAccountCatalogSchema = z.strictObject({
  roles: z.array(z.strictObject({ name: roleNameSchema, description: z.string().optional() })),
  permissions: z.array(
    z.strictObject({
      name: permissionNameSchema,
      scope: z.enum(['tenant', 'workspace', 'dataset']),
      access: z.enum(['read', 'write', 'admin']),
      description: z.string().optional(),
    }),
  ),
});

/** What a key sweep did (`kw.keys.sweep`). @internal */
export const sweepOutcomeSchema = z.strictObject({
  disabled: z.number().int().min(0),
  revoked: z.number().int().min(0),
  notified: z.number().int().min(0),
  scanned: z.number().int().min(0),
  more: z.boolean(),
});

/** The keys a reassignment moved, with their account (`kw.serviceAccounts.reassignKeys`). @internal */
export const reassignedKeysSchema = z.strictObject({
  account: serviceAccountSchema,
  keys: z.array(apiKeyInfoSchema),
});

/** `true` when the result type `T` and the schema's output are the same values. */
type SameResult<T, S extends z.ZodType> = [Writable<T>] extends [z.output<S>]
  ? [z.output<S>] extends [Writable<T>]
    ? true
    : false
  : false;

/** Every result schema against the result type of its call. Nothing here runs. @internal */
export type ResultSchemaChecks = [
  Holds<SameResult<ApiKeyInfo, typeof apiKeyInfoSchema>>,
  Holds<SameResult<IssuedKey, typeof issuedKeySchema>>,
  Holds<SameResult<CreatedServiceAccount, typeof createdServiceAccountSchema>>,
  Holds<SameResult<Page<ServiceAccount>, typeof serviceAccountPageSchema>>,
  Holds<SameResult<Page<ApiKeyInfo>, typeof apiKeyPageSchema>>,
  Holds<SameResult<Page<AuditEvent>, typeof auditEventPageSchema>>,
  Holds<SameResult<AuditFollowPage, typeof auditFollowPageSchema>>,
  Holds<SameResult<ServiceAccountCatalog, typeof serviceAccountCatalogSchema>>,
  Holds<SameResult<SweepOutcome, typeof sweepOutcomeSchema>>,
  Holds<SameResult<ReassignedKeys, typeof reassignedKeysSchema>>,
];
