import { z } from 'zod';
import { actorRefSchema } from './actor.js';
import { datasetAccessSchema } from './dataset-grant.js';
import { serviceAccountIdSchema, tenantIdSchema, workspaceIdSchema } from './ids.js';
import { roleListSchema } from './role.js';
import { contactEmailSchema, descriptionSchema, metadataSchema, nameSchema } from './text.js';

/** Status of a service account. A disabled account's keys all stop working at once. */
export const serviceAccountStatusSchema = z.enum(['active', 'disabled']);

/** Status of a service account. */
export type ServiceAccountStatus = z.infer<typeof serviceAccountStatusSchema>;

/**
 * A service account: a machine identity bound to one workspace, owning API keys.
 * `version` increases with every change (optimistic concurrency).
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
});

/** A service account. */
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;
