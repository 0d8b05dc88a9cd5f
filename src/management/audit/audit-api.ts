import type { AuditEvent } from '../../entities/audit-event.js';
import type { AuditFollowPage, FollowAuditInput, ListAuditInput } from '../../entities/audit-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { Actor } from '../actor.js';
import type { ManagementContext } from '../management-context.js';
import { followAuditEvents } from './audit-follow.js';
import { listAuditEvents } from './audit-reads.js';

/**
 * The audit trail: every change and every refused change. `list` pages it newest first, for
 * people; `follow` reads it oldest first without ever skipping an event, for exporters.
 *
 * @example
 * ```ts
 * const page = await kw.audit.list(admin, { workspaceId: 'w_1', limit: 20 });
 * ```
 */
export class AuditApi {
  readonly #ctx: ManagementContext;

  /** @internal */
  constructor(ctx: ManagementContext) {
    this.#ctx = ctx;
  }

  /**
   * Lists events of the actor's tenant (filters: workspace, target id, action), with a cursor.
   * Events about a person's own key show only to its owner and to holders of `api_keys:manage`
   * on its workspace, whatever the filter.
   */
  list(actor: Actor, filter?: ListAuditInput): Promise<Page<AuditEvent>> {
    return listAuditEvents(this.#ctx, actor, filter);
  }

  /**
   * Tails the trail of the actor's tenant: the events after `cursor` (from the first event
   * without one), oldest first, and a cursor to continue from. Every event the actor may read
   * comes exactly once, however late its transaction commits: the order is the storage's follow
   * order (commit order on SQLite and memory; on PostgreSQL, transaction-id order, handed out only
   * once every older transaction has ended), not `createdAt`. An event may therefore show up a
   * little after newer-stamped ones, never not at all. Events of workspaces the actor may not read
   * (`service_accounts:read`) are passed over, and so are events about a person's own key, unless
   * the actor owns it or holds `api_keys:manage` on its workspace. A malformed cursor is
   * `INVALID_INPUT`.
   *
   * @example
   * ```ts
   * let cursor: string | undefined; // keep it with the exported events to resume after a restart
   * for (;;) {
   *   const page = await kw.audit.follow(exporter, { cursor, limit: 100 });
   *   await ship(page.items);
   *   cursor = page.cursor;
   *   if (page.caughtUp) await sleep(1000);
   * }
   * ```
   */
  follow(actor: Actor, input?: FollowAuditInput): Promise<AuditFollowPage> {
    return followAuditEvents(this.#ctx, actor, input);
  }
}
