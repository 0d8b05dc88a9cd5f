import type { ApiKeyInfo } from '../../entities/api-key.js';
import type {
  IssueKeyInput,
  KeyRefInput,
  ListKeysInput,
  QueryKeysInput,
  RegenerateKeyInput,
  UpdateKeyInput,
} from '../../entities/key-inputs.js';
import type { SweepKeysInput, SweepOutcome } from '../../entities/key-sweep-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { GrantPattern } from '../../policy/grant-pattern.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { ManagementContext } from '../management-context.js';
import { regenerateKey, revokeKey } from './key-changes.js';
import { setKeyDisabled } from './key-disabling.js';
import { issueKey } from './key-issue.js';
import type { IssuedKey } from './key-minting.js';
import { queryKeys } from './key-query.js';
import { getKey, listKeys } from './key-reads.js';
import { sweepKeys } from './key-sweep.js';
import { updateKey } from './key-update.js';
import {
  type LeakReport,
  type LeakReportOptions,
  type LeakReportOutcome,
  reportLeaks,
} from './leak-reports.js';

/**
 * Key management; `A` is the catalog's permission names, over which `scopes` are typed (`api_keys:manage`; reads take `service_accounts:read`). The token is
 * returned only by `issue` and `regenerate`, exactly once; keyward keeps its digest.
 *
 * @example
 * ```ts
 * const { key, token } = await kw.keys.issue(admin, { serviceAccountId, key: { name: 'ci', expiresInSeconds: 86400 } });
 * const rotated = await kw.keys.regenerate(admin, { keyId: key.id, gracePeriodSeconds: 3600 });
 * ```
 */
export class KeysApi<A extends string = string> {
  readonly #ctx: ManagementContext;

  /** @internal */
  constructor(ctx: ManagementContext) {
    this.#ctx = ctx;
  }

  /** Issues a key (optional narrower scopes and expiry), within `maxKeysPerAccount` active keys. */
  issue(actor: Actor, input: IssueKeyInput<GrantPattern<A>>, meta?: CallMeta): Promise<IssuedKey> {
    return issueKey(this.#ctx, actor, input, meta);
  }

  /** New secret, same key id; the old secret works on for `gracePeriodSeconds` (default 0). */
  regenerate(actor: Actor, input: RegenerateKeyInput, meta?: CallMeta): Promise<IssuedKey> {
    return regenerateKey(this.#ctx, actor, input, meta);
  }

  /** Revokes a key at once. Idempotent. */
  revoke(actor: Actor, input: KeyRefInput, meta?: CallMeta): Promise<ApiKeyInfo> {
    return revokeKey(this.#ctx, actor, input, meta);
  }

  /**
   * Changes a key that is not revoked, never giving it more: renames it, adds or shortens its
   * expiry (within `minKeyTtl` / `maxKeyTtl`, never later than it was), narrows its scopes (no
   * permission the current scopes lack; the actor must hold what the key keeps), replaces its
   * metadata. `expectedUpdatedAt` refuses a lost update (`CONFLICT`). Audited as `api_key.update`.
   *
   * @example
   * ```ts
   * await kw.keys.update(admin, { keyId, name: 'ci (read only)', scopes: ['datasets:read'], expiresInSeconds: 7 * 86400 });
   * ```
   */
  update(actor: Actor, input: UpdateKeyInput<GrantPattern<A>>, meta?: CallMeta): Promise<ApiKeyInfo> {
    return updateKey(this.#ctx, actor, input, meta);
  }

  /**
   * Disables a key: it stops verifying at once, and can be enabled again (revoke is final).
   * Idempotent: disabling a disabled key records nothing. A revoked key is `INVALID_STATE`.
   *
   * @example
   * ```ts
   * await kw.keys.disable(admin, { keyId }); // status 'disabled'
   * ```
   */
  disable(actor: Actor, input: KeyRefInput, meta?: CallMeta): Promise<ApiKeyInfo> {
    return setKeyDisabled(this.#ctx, actor, input, true, meta);
  }

  /**
   * Enables a disabled key: it verifies again (unless it expired meanwhile). The actor must hold
   * the key's rights (`EXCEEDS_CREATOR_RIGHTS`), as for `regenerate`. Idempotent; a revoked key is
   * `INVALID_STATE`.
   *
   * @example
   * ```ts
   * await kw.keys.enable(admin, { keyId }); // status 'active'
   * ```
   */
  enable(actor: Actor, input: KeyRefInput, meta?: CallMeta): Promise<ApiKeyInfo> {
    return setKeyDisabled(this.#ctx, actor, input, false, meta);
  }

  /**
   * Handles a secret scanner's leak reports (GitHub's partner-program payload: `{ token, type,
   * url, source }`): each token that is the secret of a key of this instance, in any tenant, is
   * `true_positive`; its key is revoked (`mode: 'revoke'`) or left as it is (`'report'`), and an
   * `api_key.leak` event with the report's `url` and `source` is audited as
   * `{ type: 'system', id: 'secret_scanning' }`. Every other token is `false_positive`, the same
   * answer whether or not its key id exists. No actor: expose it only behind the scanner's
   * signature check (`leakReportHandler` in `keyward/http`).
   *
   * @example
   * ```ts
   * const { results } = await kw.keys.reportLeaks(reports, { mode: 'revoke' });
   * // [{ index: 0, label: 'true_positive' }, { index: 1, label: 'false_positive' }]
   * ```
   */
  reportLeaks(reports: readonly LeakReport[], options: LeakReportOptions): Promise<LeakReportOutcome> {
    return reportLeaks(this.#ctx, reports, options);
  }

  /**
   * Runs the stale-key policy once over the actor's tenant (or `workspaceId`), in pages of
   * `batchSize`, each key changed in its own transaction on the key as locked there: disables
   * active keys unused for `disableUnusedFor` seconds, revokes keys expired for more than
   * `revokeExpiredAfter` seconds (both audited `api_key.sweep` with a `reason`, event
   * `key.swept`), and notifies each expiry once (`key.expiring_soon` within `expiringSoonLeadMs`,
   * `key.expired` after). Needs `api_keys:manage`: keys of workspaces where the actor lacks it are
   * passed over. Idempotent and safe from several instances at once; a failure half-way rejects
   * with `details.sweep`, what the run did until then.
   *
   * @example
   * ```ts
   * // nightly: CIS 45 days unused, expired keys revoked after 30 days, expiry notices
   * const done = await kw.keys.sweep(admin, { disableUnusedFor: 45 * 86_400, revokeExpiredAfter: 30 * 86_400 });
   * // { disabled: 3, revoked: 1, notified: 2, scanned: 40, more: false }
   * ```
   */
  sweep(actor: Actor, input: SweepKeysInput = {}, meta?: CallMeta): Promise<SweepOutcome> {
    return sweepKeys(this.#ctx, actor, input, meta);
  }

  /** Lists an account's keys: id, name, start, created, last used, expiry, status. */
  list(actor: Actor, input: ListKeysInput): Promise<Page<ApiKeyInfo>> {
    return listKeys(this.#ctx, actor, input);
  }

  /**
   * Keys across the actor's tenant, oldest first, filtered by workspace, derived status,
   * environment, `expiresBefore` and `unusedSince`. Without `workspaceId`, only keys of workspaces
   * the actor may read (`service_accounts:read`) are returned.
   *
   * @example
   * ```ts
   * // CIS: active keys not used for 45 days
   * const stale = await kw.keys.query(admin, { status: 'active', unusedSince: new Date(Date.now() - 45 * 86_400_000) });
   * ```
   */
  query(actor: Actor, input: QueryKeysInput = {}): Promise<Page<ApiKeyInfo>> {
    return queryKeys(this.#ctx, actor, input);
  }

  /** Reads one key. */
  get(actor: Actor, input: KeyRefInput): Promise<ApiKeyInfo> {
    return getKey(this.#ctx, actor, input);
  }
}
