import { z } from 'zod';
import { auditActionSchema } from './audit-event.js';
import { workspaceIdSchema } from './ids.js';
import { cursorSchema, limitSchema } from './pagination.js';

/** `kw.audit.list(actor, filter)`: the actor's tenant, newest first. */
export const listAuditInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema.optional(),
  targetId: z.string().min(1).max(64).optional(),
  action: auditActionSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.audit.list`. */
export type ListAuditInput = z.input<typeof listAuditInputSchema>;
