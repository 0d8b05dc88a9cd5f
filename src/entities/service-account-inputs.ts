import { z } from 'zod';
import { datasetAccessSchema, datasetIdListSchema } from './dataset-grant.js';
import { serviceAccountIdSchema, workspaceIdSchema } from './ids.js';
import { newKeySchema } from './key-inputs.js';
import { cursorSchema, limitSchema } from './pagination.js';
import { roleListSchema } from './role.js';
import { serviceAccountStatusSchema } from './service-account.js';
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
  /** Issue the first key in the same transaction. */
  firstKey: newKeySchema.optional(),
});

/** Input of `kw.serviceAccounts.create`. */
export type CreateServiceAccountInput = z.input<typeof createServiceAccountInputSchema>;

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
  })
  .refine((value) => Object.keys(value).some((key) => key !== 'id' && key !== 'expectedVersion'), {
    message: 'Nothing to update',
  });

/** Input of `kw.serviceAccounts.update`. */
export type UpdateServiceAccountInput = z.input<typeof updateServiceAccountInputSchema>;

/** `kw.serviceAccounts.setDatasetAccess(actor, input)`: replace dataset access. */
export const setDatasetAccessInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  expectedVersion: expectedVersionSchema,
  datasetAccess: datasetAccessSchema,
});

/** Input of `kw.serviceAccounts.setDatasetAccess`. */
export type SetDatasetAccessInput = z.input<typeof setDatasetAccessInputSchema>;

/** `kw.serviceAccounts.grantDatasets` / `revokeDatasets`: add or remove selected datasets. */
export const changeDatasetsInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  expectedVersion: expectedVersionSchema,
  datasetIds: datasetIdListSchema,
});

/** Input of `kw.serviceAccounts.grantDatasets` and `revokeDatasets`. */
export type ChangeDatasetsInput = z.input<typeof changeDatasetsInputSchema>;

/** `get`, `disable`, `enable`, `delete` of one account. */
export const serviceAccountRefInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  expectedVersion: expectedVersionSchema,
});

/** Input naming one account. */
export type ServiceAccountRefInput = z.input<typeof serviceAccountRefInputSchema>;

/** `kw.serviceAccounts.list(actor, input)`: the actor's tenant, optionally one workspace / status. */
export const listServiceAccountsInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema.optional(),
  status: serviceAccountStatusSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.serviceAccounts.list`. */
export type ListServiceAccountsInput = z.input<typeof listServiceAccountsInputSchema>;
