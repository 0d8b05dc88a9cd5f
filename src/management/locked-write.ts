import type { ActorRef } from '../entities/actor.js';
import type { RequestContext } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { KeyWithAccount, StorageTransaction } from '../storage/storage-adapter.js';
import { lockAccount } from './account-records.js';
import type { ActingPrincipal } from './actor.js';
import { type AuditFacts, buildAuditEvent } from './audit-event-builder.js';
import { lockKey } from './key-records.js';
import type { ManagementContext } from './management-context.js';

/** A record a write changed, whose cached copies drop once the transaction committed. @internal */
export type ChangedRecord = { readonly keyId: string } | { readonly serviceAccountId: string };

/** The facts of a successful change: who made it and from where are the call's own. @internal */
export type ChangeFacts = Omit<AuditFacts, 'actor' | 'request' | 'outcome' | 'reason'>;

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
 * Runs `decide` in one storage transaction, then tells the change listener about the records it
 * changed. A retried transaction reports only its last attempt's changes.
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
  const result = await ctx.storage.transaction((tx) => {
    const attempt: ChangedRecord[] = [];
    changed = attempt;
    return decide({
      tx,
      actor: acting.ref,
      lockAccount: (id) => lockAccount(tx, acting.tenantId, id),
      lockKey: (keyId) => lockKey(tx, acting.tenantId, keyId),
      audit: (facts) =>
        tx.insertAuditEvent({ event: buildAuditEvent({ ...facts, actor: acting.ref, request }) }),
      changed: (record) => {
        attempt.push(record);
      },
    });
  });
  for (const record of changed) {
    if ('keyId' in record) ctx.changes.keyChanged(record.keyId);
    else ctx.changes.accountChanged(record.serviceAccountId);
  }
  return result;
}
