import type { AuditEvent } from '../../entities/audit-event.js';
import type { ActingPrincipal } from '../actor.js';
import type { ManagementContext } from '../management-context.js';
import { managesPersonalKeys, ownsPersonalKey } from '../personal-keys/personal-key-access.js';

/**
 * What audit reads add to "an event of a workspace the actor reads": an event about a person's
 * own key (or the hidden account holding their keys) shows only to that person and to managers
 * of keys in its workspace (`api_keys:manage`), the people `kw.personalKeys` shows the key to;
 * to anyone else it does not exist. Every other event shows.
 *
 * Whether a target is personal is read from storage, not from the event (the account's
 * `ownerUserId`; a key never changes account), so events written before this rule are covered
 * too. It is read only for events the actor does not manage keys of, once per target per call.
 * A failed read fails the call: nothing is shown on a guess.
 *
 * @internal
 */
export function personalTargetFilter(
  ctx: ManagementContext,
  acting: ActingPrincipal,
): (event: AuditEvent) => boolean | Promise<boolean> {
  const owners = new Map<string, Promise<string | null>>();
  const ownerOf = (target: AuditEvent['target'] & { id: string }): Promise<string | null> => {
    const known = `${target.type}:${target.id}`;
    let owner = owners.get(known);
    if (owner === undefined) {
      owner = personalOwnerOf(ctx, acting.tenantId, target);
      owners.set(known, owner);
    }
    return owner;
  };
  return ({ target, workspaceId }) => {
    const { id } = target;
    if (id === null || (workspaceId !== null && managesPersonalKeys(ctx, acting, workspaceId))) return true;
    return ownerOf({ type: target.type, id }).then(
      (owner) => owner === null || ownsPersonalKey(acting, owner),
    );
  };
}

/** The person owning a target (a personal account, or a key of one), `null` for anything else. */
async function personalOwnerOf(
  ctx: ManagementContext,
  tenantId: string,
  target: AuditEvent['target'] & { id: string },
): Promise<string | null> {
  if (target.type === 'service_account') {
    const account = await ctx.storage.findServiceAccount({ tenantId, id: target.id });
    return account?.ownerUserId ?? null;
  }
  const found = await ctx.storage.findKeyForVerification({ keyId: target.id });
  return found === null || found.key.tenantId !== tenantId ? null : (found.account.ownerUserId ?? null);
}
