import type { AuditEvent } from '../../entities/audit-event.js';
import {
  type AuditFollowPage,
  type FollowAuditInput,
  followAuditInputSchema,
} from '../../entities/audit-inputs.js';
import type { Actor } from '../actor.js';
import { readableWorkspaces } from '../authorization.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { decodeFollowCursor, encodeFollowCursor } from './follow-cursor.js';
import { personalTargetFilter } from './personal-target-filter.js';

/** How many storage reads one call makes at most before returning what it has. */
const MAX_SCANS = 20;

/**
 * Reads the audit trail of the actor's tenant oldest first, after the cursor, in the storage's
 * follow order (`StorageAdapter.listAuditEventsSince`), which never skips an event that commits
 * late. Reading takes `service_accounts:read` on the event's workspace, as `audit.list` does:
 * events the actor may not read (and events without a workspace), and events about someone
 * else's personal key the actor does not manage ({@link personalTargetFilter}), are passed over,
 * and the cursor moves past them.
 *
 * Each storage read asks for what the page still lacks, so every row read is either returned or
 * passed over: the cursor is the position of the last row read, and nothing is read twice.
 *
 * @internal
 */
export function followAuditEvents(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: FollowAuditInput = {},
): Promise<AuditFollowPage> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: followAuditInputSchema,
    inputName: 'audit follow input',
    load: nothingToLoad,
    requires: () => [],
    read: async ({ input, acting }) => {
      const readable = readableWorkspaces(ctx, acting);
      const personalShown = personalTargetFilter(ctx, acting);
      const items: AuditEvent[] = [];
      let after = decodeFollowCursor(input.cursor);
      for (let scan = 0; scan < MAX_SCANS && items.length < input.limit; scan++) {
        const wanted = input.limit - items.length;
        const rows = await ctx.storage.listAuditEventsSince({
          tenantId: acting.tenantId,
          after,
          limit: wanted,
        });
        for (const { event } of rows)
          if (readable(event.workspaceId) && (await personalShown(event))) items.push(event);
        const last = rows[rows.length - 1];
        if (last !== undefined) after = last.position;
        if (rows.length < wanted) return { items, cursor: encodeFollowCursor(after), caughtUp: true };
      }
      return { items, cursor: encodeFollowCursor(after), caughtUp: false };
    },
  });
}
