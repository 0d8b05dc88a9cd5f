import type { Actor } from '../accounts/acting-principal.js';
import type { LifecycleContext } from '../accounts/lifecycle-context.js';
import type { AuditEvent } from '../entities/audit-event.js';
import type { ListAuditInput } from '../entities/audit-inputs.js';
import type { Page } from '../entities/pagination.js';
import { listAuditEvents } from './audit-reads.js';

/**
 * The audit trail: every change and every refused change, newest first.
 *
 * @example
 * ```ts
 * const page = await kw.audit.list(admin, { workspaceId: 'w_1', limit: 20 });
 * ```
 */
export class AuditApi {
  readonly #ctx: LifecycleContext;

  /** @internal */
  constructor(ctx: LifecycleContext) {
    this.#ctx = ctx;
  }

  /** Lists events of the actor's tenant (filters: workspace, target id, action), with a cursor. */
  list(actor: Actor, filter?: ListAuditInput): Promise<Page<AuditEvent>> {
    return listAuditEvents(this.#ctx, actor, filter);
  }
}
