import { z } from 'zod';
import { type AuditEvent, auditActionSchema } from './audit-event.js';
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

/** `kw.audit.follow(actor, input)`: the actor's tenant, oldest first, from `cursor` on. */
export const followAuditInputSchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.audit.follow`. */
export type FollowAuditInput = z.input<typeof followAuditInputSchema>;

/** One read of `kw.audit.follow`. */
export interface AuditFollowPage {
  /** The events after the cursor the actor may read, oldest first in the trail's follow order. */
  items: AuditEvent[];
  /**
   * Where to continue: pass it to the next call. Always set, also on an empty page; it moves past
   * events the actor may not read, so they are not read again.
   */
  cursor: string;
  /**
   * True when the trail held nothing more to read when this page was taken: poll again later.
   * False when more may be waiting: call again at once.
   */
  caughtUp: boolean;
}
