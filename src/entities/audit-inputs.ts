import { z } from 'zod';
import { type AuditAction, type AuditEvent, auditActionSchema } from './audit-event.js';
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
export interface ListAuditInput {
  /** Only events of this workspace. */
  workspaceId?: string | undefined;
  /** Only events about this object (an account or key id). */
  targetId?: string | undefined;
  /** Only events of this action. */
  action?: AuditAction | undefined;
  /** Page size, 1-100 (default 50). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** `kw.audit.follow(actor, input)`: the actor's tenant, oldest first, from `cursor` on. */
export const followAuditInputSchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.audit.follow`. */
export interface FollowAuditInput {
  /** Most events to read, 1-100 (default 50). */
  limit?: number | undefined;
  /** Where to continue: the `cursor` of the previous page; from the first event without one. */
  cursor?: string | undefined;
}

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
