import type { ActorRef } from '../entities/actor.js';
import type { ApiKeyInfo } from '../entities/api-key.js';
import type { AuditEvent, RequestContext } from '../entities/audit-event.js';
import type { AuditedChange } from '../entities/audited-change.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { KeyWithAccount, StorageTransaction } from '../storage/storage-adapter.js';
import { lockAccount } from './account-records.js';
import { type ActingKeyBounds, readActingKey } from './acting-key-bounds.js';
import type { ActingPrincipal } from './actor.js';
import { type AuditFacts, buildAuditEvent } from './audit-event-builder.js';
import { lockKey } from './key-records.js';
import type { ManagementContext } from './management-context.js';

/** A record a write changed, whose cached copies drop once the transaction committed. @internal */
export type ChangedRecord = { readonly keyId: string } | { readonly serviceAccountId: string };

/**
 * What every successful change records, whatever its target. `reason` is optional: why a change
 * made by keyward's own policy was made (a sweep's `unused`, `expired`...). @internal
 */
type CommonFacts = Omit<AuditFacts, 'actor' | 'request' | 'outcome' | 'target' | 'before' | 'after'>;

/** The facts of a change to a key: `before` / `after` are the key's public views. @internal */
export interface KeyChangeFacts extends CommonFacts {
  readonly target: { readonly type: 'api_key'; readonly id: string };
  readonly before?: ApiKeyInfo | null | undefined;
  readonly after?: ApiKeyInfo | null | undefined;
}

/** The facts of a change to a service account. @internal */
export interface AccountChangeFacts extends CommonFacts {
  readonly target: { readonly type: 'service_account'; readonly id: string };
  readonly before?: ServiceAccount | null | undefined;
  readonly after?: ServiceAccount | null | undefined;
}

/**
 * The facts of a successful change: who made it and from where are the call's own. The snapshots
 * are typed by the target, so that the host's events carry the key's or account's view.
 *
 * @internal
 */
export type ChangeFacts = KeyChangeFacts | AccountChangeFacts;

/**
 * The transaction of a management write. Decisions are taken on the records `lockAccount` and
 * `lockKey` return (tenant-scoped, `NOT_FOUND` when gone): they stay locked until the end.
 *
 * @internal
 */
export interface LockedWrite {
  readonly tx: StorageTransaction;
  /** Who makes the change: the call's actor, as stored (`createdBy`, audit events). */
  readonly actor: ActorRef;
  /**
   * The acting key as this transaction read it, still what `verify` saw (else the write was
   * refused): the IP allowlists it bounds the write with; `null` for a person.
   */
  readonly actingKey: ActingKeyBounds | null;
  /** Reads and locks an account of the actor's tenant. */
  lockAccount(id: string): Promise<ServiceAccount>;
  /** Reads and locks a key of the actor's tenant, with its account. */
  lockKey(keyId: string): Promise<KeyWithAccount>;
  /** Writes the audit event of the change, in this transaction, as done by the call's actor. */
  audit(facts: ChangeFacts): Promise<void>;
  /** Marks a record changed; caches are told after the commit, not when the transaction fails. */
  changed(record: ChangedRecord): void;
}

/**
 * Runs `decide` in one storage transaction (refused first when the acting key changed after it was
 * verified: see `readActingKey`), then tells the change listener about the records it
 * changed, and the audit listener (the host's `onEvent`) about the audit events it wrote, in
 * order. A retried transaction reports only its last attempt's changes and events; a failed one
 * reports none. Resolves once the host handled the events (their failures never reject it).
 *
 * @internal
 */
export async function writeLocked<R>(
  ctx: ManagementContext,
  call: { readonly acting: ActingPrincipal; readonly request: RequestContext },
  decide: (write: LockedWrite) => Promise<R>,
): Promise<R> {
  const { acting, request } = call;
  let changed: ChangedRecord[] = [];
  let audited: AuditedChange[] = [];
  const result = await ctx.storage.transaction(async (tx) => {
    const attempt: ChangedRecord[] = [];
    const attemptAudited: AuditedChange[] = [];
    changed = attempt;
    audited = attemptAudited;
    // A key acts only while it still is what `verify` saw (status, expiry, rights).
    const actingKey = await readActingKey(tx, acting, ctx.clock());
    return decide({
      tx,
      actor: acting.ref,
      actingKey,
      lockAccount: (id) => lockAccount(tx, acting.tenantId, id),
      lockKey: (keyId) => lockKey(tx, acting.tenantId, keyId),
      audit: async (facts) => {
        const event = buildAuditEvent({ ...facts, actor: acting.ref, request });
        await tx.insertAuditEvent({ event });
        attemptAudited.push(auditedChange(event, facts));
      },
      changed: (record) => {
        attempt.push(record);
      },
    });
  });
  for (const record of changed) {
    if ('keyId' in record) ctx.changes.keyChanged(record.keyId);
    else ctx.changes.accountChanged(record.serviceAccountId);
  }
  if (audited.length > 0) await ctx.audited.committed(audited);
  return result;
}

/** The audit event with the view of what it changed (after the change, or before a removal). */
function auditedChange(event: AuditEvent, facts: ChangeFacts): AuditedChange {
  if (isKeyChange(facts)) return { event, key: facts.after ?? facts.before ?? null, account: null };
  return { event, key: null, account: facts.after ?? facts.before ?? null };
}

function isKeyChange(facts: ChangeFacts): facts is KeyChangeFacts {
  return facts.target.type === 'api_key';
}
