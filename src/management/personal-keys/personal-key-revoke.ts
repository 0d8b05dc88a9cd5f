import type { ApiKeyInfo } from '../../entities/api-key.js';
import { type PersonalKeyRefInput, personalKeyRefInputSchema } from '../../entities/personal-key-inputs.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { keyNotFound } from '../key-records.js';
import { revokedKey } from '../keys/key-changes.js';
import { toKeyInfo } from '../keys/key-view.js';
import { managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { managesPersonalKeys, ownsPersonalKey } from './personal-key-access.js';

/**
 * Revokes a person's own key: by its owner, or by whoever holds `api_keys:manage` on its
 * workspace (a tenant admin). Anyone else gets `NOT_FOUND`, as for a key that does not exist:
 * a person's keys are not shown to other people. Idempotent; audited as `api_key.revoke`.
 *
 * @internal
 */
export function revokePersonalKey(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: PersonalKeyRefInput,
  meta?: CallMeta,
): Promise<ApiKeyInfo> {
  return managedCall(ctx, actor, rawInput, meta, {
    input: personalKeyRefInputSchema,
    inputName: 'personal key',
    load: async (tenantId, input) => {
      const key = await ctx.storage.findKey({ tenantId, keyId: input.keyId });
      const account =
        key === null ? null : await ctx.storage.findServiceAccount({ tenantId, id: key.serviceAccountId });
      if (key === null || account?.ownerUserId === undefined) throw keyNotFound(input.keyId);
      return { key, ownerUserId: account.ownerUserId };
    },
    requires: () => [],
    prepare: ({ acting, subject }) => {
      const { ownerUserId, key } = subject;
      if (!ownsPersonalKey(acting, ownerUserId) && !managesPersonalKeys(ctx, acting, key.workspaceId))
        throw keyNotFound(key.id);
    },
    write: async (write, { input, acting }) => {
      const found = await write.tx.lockKey({ tenantId: acting.tenantId, keyId: input.keyId });
      if (found === null || found.account.ownerUserId === undefined) throw keyNotFound(input.keyId);
      const { key } = found;
      const now = ctx.clock();
      const next = revokedKey(key, now);
      if (next === key) return toKeyInfo(key, now);
      const written = await write.tx.updateKey({ key: next });
      if (written === null) throw keyNotFound(input.keyId);
      const info = toKeyInfo(written, now);
      await write.audit({
        action: 'api_key.revoke',
        tenantId: key.tenantId,
        workspaceId: key.workspaceId,
        target: { type: 'api_key', id: key.id },
        before: toKeyInfo(key, now),
        after: info,
        at: new Date(now),
      });
      write.changed({ keyId: key.id });
      return info;
    },
  });
}
