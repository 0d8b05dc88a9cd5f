import type { AuditActor } from '../entities/actor.js';
import type { AuditAction, AuditEvent, RequestContext } from '../entities/audit-event.js';
import { newAuditEventId } from '../entities/id-generator.js';
import { redactForAudit } from './redact.js';

/** What a management call knows about the change it audits. @internal */
export interface AuditFacts {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly tenantId: string;
  readonly workspaceId: string | null;
  readonly target: AuditEvent['target'];
  readonly outcome?: AuditEvent['outcome'] | undefined;
  readonly reason?: string | null | undefined;
  readonly before?: object | null | undefined;
  readonly after?: object | null | undefined;
  readonly request?: RequestContext | undefined;
  readonly at: Date;
}

/** Builds an audit event with redacted snapshots. @internal */
export function buildAuditEvent(facts: AuditFacts): AuditEvent {
  return {
    id: newAuditEventId(facts.at.getTime()),
    tenantId: facts.tenantId,
    workspaceId: facts.workspaceId,
    actor: facts.actor,
    action: facts.action,
    target: facts.target,
    outcome: facts.outcome ?? 'success',
    reason: facts.reason ?? null,
    before: redactForAudit(facts.before ?? null),
    after: redactForAudit(facts.after ?? null),
    request: facts.request ?? {},
    createdAt: facts.at,
  };
}
