import type { ApiKeyInfo } from '../../entities/api-key.js';
import type {
  IssueKeyInput,
  KeyRefInput,
  ListKeysInput,
  RegenerateKeyInput,
} from '../../entities/key-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { GrantPattern } from '../../policy/grant-pattern.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { ManagementContext } from '../management-context.js';
import { regenerateKey, revokeKey } from './key-changes.js';
import { issueKey } from './key-issue.js';
import type { IssuedKey } from './key-minting.js';
import { getKey, listKeys } from './key-reads.js';
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

  /** Lists an account's keys: id, name, start, created, last used, expiry, status. */
  list(actor: Actor, input: ListKeysInput): Promise<Page<ApiKeyInfo>> {
    return listKeys(this.#ctx, actor, input);
  }

  /** Reads one key. */
  get(actor: Actor, input: KeyRefInput): Promise<ApiKeyInfo> {
    return getKey(this.#ctx, actor, input);
  }
}
