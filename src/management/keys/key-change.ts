import type { z } from 'zod';
import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import type { AuditAction } from '../../entities/audit-event.js';
import type { KeyWithAccount, StorageTransaction } from '../../storage/storage-adapter.js';
import type { ActingKeyBounds } from '../acting-key-bounds.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { keyNotFound, loadKey } from '../key-records.js';
import { type AuthorizedCall, managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { toKeyInfo } from './key-view.js';

/** What {@link changeKey} needs to know about one kind of key change. @internal */
export interface KeyChange<Input extends { readonly keyId: string }> {
  readonly input: z.ZodType<Input>;
  readonly inputName: string;
  /** Checks of the input against the catalog, before anything is read (unknown scopes). */
  readonly checkInput?: ((input: Input) => void) | undefined;
  readonly action: AuditAction;
  /**
   * The new record from the key and account read under lock, or the same object when there is
   * nothing to do. It runs inside the transaction and throws to refuse; `actingKey` is the acting
   * key as the transaction read it (its allowlists bound the change), `null` for a person.
   */
  readonly apply: (
    key: ApiKey,
    account: KeyWithAccount['account'],
    now: number,
    call: AuthorizedCall<Input, ApiKey>,
    actingKey: ActingKeyBounds | null,
  ) => ApiKey | Promise<ApiKey>;
  /**
   * What the change writes besides the record, in the same transaction, once `updateKey` stored
   * it (the credits, which `updateKey` never writes): answers the key as stored then, or `null`
   * when it is gone.
   */
  readonly alsoWrite?:
    | ((
        tx: StorageTransaction,
        written: ApiKey,
        now: number,
        call: AuthorizedCall<Input, ApiKey>,
      ) => Promise<ApiKey | null>)
    | undefined;
}

/**
 * Every change to one key: the management call path with `api_keys:manage` on the key's
 * workspace (which never changes, so authorizing on the unlocked read is sound), then, in the
 * transaction: lock the key and its account, compute the new record, write it (and what goes with
 * it, `alsoWrite`) with its audit event, and return the key's view.
 *
 * @internal
 */
export function changeKey<Input extends { readonly keyId: string }>(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: unknown,
  meta: CallMeta | undefined,
  change: KeyChange<Input>,
): Promise<ApiKeyInfo> {
  const { action } = change;
  return managedCall(ctx, actor, rawInput, meta, {
    input: change.input,
    inputName: change.inputName,
    checkInput: change.checkInput,
    load: (tenantId, input) => loadKey(ctx, tenantId, input.keyId),
    requires: (_input, key) => [
      {
        permission: 'api_keys:manage',
        workspaceId: key.workspaceId,
        denied: { action, target: { type: 'api_key', id: key.id } },
      },
    ],
    write: async (write, call) => {
      const { keyId } = call.input;
      const { key, account } = await write.lockKey(keyId);
      const now = ctx.clock();
      const next = await change.apply(key, account, now, call, write.actingKey);
      if (next === key) return toKeyInfo(key, now);
      const updated = await write.tx.updateKey({ key: next });
      const written =
        updated === null || change.alsoWrite === undefined
          ? updated
          : await change.alsoWrite(write.tx, updated, now, call);
      if (written === null) throw keyNotFound(keyId);
      const info = toKeyInfo(written, now);
      await write.audit({
        action,
        tenantId: key.tenantId,
        workspaceId: key.workspaceId,
        target: { type: 'api_key', id: call.subject.id },
        before: toKeyInfo(key, now),
        after: info,
        at: new Date(now),
      });
      write.changed({ keyId });
      return info;
    },
  });
}

/**
 * The `updatedAt` of a key changed at `now`: strictly after the one it had, even within the same
 * millisecond or under a clock that stepped back, so that every cache comparing `updatedAt` (the
 * compiled principals, other instances) drops the old key, and `expectedUpdatedAt` sees the change.
 *
 * @internal
 */
export function nextUpdatedAt(key: ApiKey, now: number): Date {
  return new Date(Math.max(now, key.updatedAt.getTime() + 1));
}
