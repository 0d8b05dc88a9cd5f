import { z } from 'zod';
import { tenantIdSchema, workspaceIdSchema } from './ids.js';

/** The tenant > workspace a service account is bound to. Its keys never reach beyond it. */
export const workspaceBindingSchema = z.strictObject({
  tenantId: tenantIdSchema,
  workspaceId: workspaceIdSchema,
});

/** A workspace binding. */
export type WorkspaceBinding = z.infer<typeof workspaceBindingSchema>;
