import type { UserActor } from '../../entities/actor.js';
import type { ApiKeyInfo } from '../../entities/api-key.js';
import type { Page } from '../../entities/pagination.js';
import type {
  IssuePersonalKeyInput,
  ListAllPersonalKeysInput,
  ListPersonalKeysInput,
  PersonalKeyRefInput,
} from '../../entities/personal-key-inputs.js';
import type { GrantPattern } from '../../policy/grant-pattern.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { IssuedKey } from '../keys/key-minting.js';
import type { ManagementContext } from '../management-context.js';
import { issuePersonalKey } from './personal-key-issue.js';
import { listAllPersonalKeys, listPersonalKeys } from './personal-key-reads.js';
import { revokePersonalKey } from './personal-key-revoke.js';

/**
 * A person's own keys: owned by a user, bound to one workspace, with scopes chosen from the
 * person's own rights, and bounded on every request by the person's live rights through
 * `resolveActor` (required): a person who leaves or is downgraded takes their keys' rights with
 * them. Same token format, `kw.verify` and audit actions as service-account keys. `A` is the
 * catalog's permission names, over which `scopes` are typed.
 *
 * @example
 * ```ts
 * const { key, token } = await kw.personalKeys.issue(alice, {
 *   workspaceId: 'w_sales',
 *   name: 'my laptop',
 *   scopes: ['datasets:read'],
 *   expiresInSeconds: 30 * 86400,
 * });
 * await kw.personalKeys.revoke(alice, { keyId: key.id });
 * ```
 */
export class PersonalKeysApi<A extends string = string> {
  readonly #ctx: ManagementContext;

  /** @internal */
  constructor(ctx: ManagementContext) {
    this.#ctx = ctx;
  }

  /**
   * Issues a key of the acting person in `workspaceId`: `scopes` the person holds (else
   * `EXCEEDS_CREATOR_RIGHTS` naming the difference), at most `maxPersonalKeys` active keys per
   * person and workspace (`KEY_LIMIT_REACHED`). A key actor is refused (`INVALID_INPUT`).
   */
  issue(
    person: UserActor,
    input: IssuePersonalKeyInput<GrantPattern<A>>,
    meta?: CallMeta,
  ): Promise<IssuedKey> {
    return issuePersonalKey(this.#ctx, person, input, meta);
  }

  /** The acting person's own keys in one workspace, oldest first (revoked and expired ones included). */
  list(person: UserActor, input: ListPersonalKeysInput): Promise<Page<ApiKeyInfo>> {
    return listPersonalKeys(this.#ctx, person, input);
  }

  /** Every person's keys in a workspace, or one person's (`userId`): needs `api_keys:manage` on it. */
  listAll(actor: Actor, input: ListAllPersonalKeysInput): Promise<Page<ApiKeyInfo>> {
    return listAllPersonalKeys(this.#ctx, actor, input);
  }

  /**
   * Revokes a personal key, by its owner or by a holder of `api_keys:manage` on its workspace;
   * anyone else gets `NOT_FOUND`. Idempotent.
   */
  revoke(actor: Actor, input: PersonalKeyRefInput, meta?: CallMeta): Promise<ApiKeyInfo> {
    return revokePersonalKey(this.#ctx, actor, input, meta);
  }
}
