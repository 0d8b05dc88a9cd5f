import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { KeyPrincipalFacts } from '../policy/index.js';
import { ipAllowlistWithin } from '../request-controls/ip/ip-allowlist.js';
import type { StorageTransaction } from '../storage/storage-adapter.js';
import type { ActingPrincipal } from './actor.js';

/** One IP allowlist that restricts an acting key: its account's or its own. @internal */
export interface RestrictingAllowlist {
  /** `account`: the acting key's account's list; `key`: the acting key's own. */
  readonly layer: 'account' | 'key';
  /** Normalised CIDR blocks. */
  readonly allowlist: readonly string[];
}

/**
 * What bounds a key acting on the management API, as stored when the write reads it: the IP
 * allowlists it can be used from. A person is not IP-restricted and has no bounds (`null`).
 *
 * @internal
 */
export interface ActingKeyBounds {
  readonly keyId: string;
  readonly serviceAccountId: string;
  /** The non-null allowlists of the key's account and of the key (in that order). */
  readonly ipAllowlists: readonly RestrictingAllowlist[];
}

/** Why an acting key may no longer write: see {@link readActingKey}. @internal */
export type StaleActingKeyReason =
  | 'gone'
  | 'revoked'
  | 'disabled'
  | 'expired'
  | 'account_disabled'
  | 'rights_changed';

/**
 * The acting key of a write as its transaction reads it (`null` for a person), refused unless it
 * still is what `verify` saw. A key acts on the management API with the rights `verify` compiled
 * for its request; the write happens later, in its own transaction, which reads the key and its
 * account once, here: the write is refused (`INVALID_STATE`, `details.reason`) unless the key is
 * still usable (not revoked, disabled or expired, its account active) and holds exactly the rights
 * it was verified with (roles, scopes, read-only, data sets, workspace). So a revocation, a disable
 * or a downgrade committed before the write is seen by it: an in-flight request of a leaked key
 * cannot mint a fresh credential once the key is revoked. A change committed after this read
 * orders after the write (the write decided on the key as it was, which the change does not undo,
 * as it undoes no key issued before it). What is returned bounds what the write may give: the IP
 * allowlists the key can be used from.
 *
 * @internal
 */
export async function readActingKey(
  tx: StorageTransaction,
  acting: ActingPrincipal,
  now: number,
): Promise<ActingKeyBounds | null> {
  if (acting.ref.type !== 'key' || acting.principal.type !== 'key') return null;
  const { id: keyId, serviceAccountId } = acting.ref;
  const key = await tx.findKey({ tenantId: acting.tenantId, keyId });
  const account =
    key === null
      ? null
      : await tx.findServiceAccount({ tenantId: acting.tenantId, id: key.serviceAccountId });
  const reason = staleReason(acting.principal.facts, key, account, now);
  if (reason !== null || key === null || account === null) {
    throw new KeywardError(
      ERROR_CODES.INVALID_STATE,
      'The acting key changed after it was verified (revoked, disabled, expired or given other rights); verify it again',
      { details: { keyId, reason: reason ?? 'gone' } },
    );
  }
  const ipAllowlists: RestrictingAllowlist[] = [];
  if (account.ipAllowlist !== null) ipAllowlists.push({ layer: 'account', allowlist: account.ipAllowlist });
  if (key.ipAllowlist !== null) ipAllowlists.push({ layer: 'key', allowlist: key.ipAllowlist });
  return { keyId, serviceAccountId, ipAllowlists };
}

/** Why the stored key and account no longer back the verified facts, or `null` when they do. */
function staleReason(
  verified: Readonly<KeyPrincipalFacts>,
  key: ApiKey | null,
  account: ServiceAccount | null,
  now: number,
): StaleActingKeyReason | null {
  if (key === null || account === null) return 'gone';
  if (key.status === 'revoked') return 'revoked';
  if (key.disabledAt !== null) return 'disabled';
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now) return 'expired';
  if (account.status !== 'active') return 'account_disabled';
  const same =
    account.workspaceId === verified.workspaceId &&
    account.readOnly === verified.readOnly &&
    sameSet(account.roles, verified.roles) &&
    sameScopes(key.scopes, verified.scopes) &&
    sameDatasets(account.datasetAccess, verified.datasetAccess);
  return same ? null : 'rights_changed';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((value) => set.has(value));
}

function sameScopes(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return a === null || b === null ? a === b : sameSet(a, b);
}

function sameDatasets(a: KeyPrincipalFacts['datasetAccess'], b: KeyPrincipalFacts['datasetAccess']): boolean {
  if (a.mode === 'all' || b.mode === 'all') return a.mode === b.mode;
  return sameSet(a.datasetIds, b.datasetIds);
}

/**
 * A key never reaches beyond the key that issues, updates or regenerates it: for each list `L`
 * restricting the acting key, the key must stay within `L` through its own allowlist or its
 * account's (a key passes both when used). Refuses `IP_ALLOWLIST_WIDER` otherwise.
 *
 * @internal
 */
export function assertKeyWithinActor(
  bounds: ActingKeyBounds | null,
  keyAllowlist: readonly string[] | null,
  accountAllowlist: readonly string[] | null,
): void {
  for (const restricting of bounds?.ipAllowlists ?? []) {
    if (within(keyAllowlist, restricting) || within(accountAllowlist, restricting)) continue;
    throw wider(restricting, 'The key would be usable from addresses', 'ipAllowlist of the key');
  }
}

/**
 * An account a key creates or updates: its allowlist must lie within every list restricting the
 * acting key (`null`, any address, never does). Refuses `IP_ALLOWLIST_WIDER` otherwise.
 *
 * @internal
 */
export function assertAccountWithinActor(
  bounds: ActingKeyBounds | null,
  accountAllowlist: readonly string[] | null,
): void {
  for (const restricting of bounds?.ipAllowlists ?? []) {
    if (within(accountAllowlist, restricting)) continue;
    throw wider(restricting, 'The account would be usable from addresses', 'ipAllowlist of the account');
  }
}

function within(list: readonly string[] | null, restricting: RestrictingAllowlist): boolean {
  return list !== null && ipAllowlistWithin(list, restricting.allowlist);
}

/** Blocks a message names before it says how many more there are. */
const NAMED_BLOCKS = 5;

function wider(restricting: RestrictingAllowlist, what: string, field: string): KeywardError {
  const { layer, allowlist } = restricting;
  const shown = allowlist.slice(0, NAMED_BLOCKS).join(', ');
  const more = allowlist.length > NAMED_BLOCKS ? ` and ${allowlist.length - NAMED_BLOCKS} more` : '';
  const whose =
    layer === 'key' ? "the acting key's own IP allowlist" : "the acting key's account's IP allowlist";
  return new KeywardError(
    ERROR_CODES.IP_ALLOWLIST_WIDER,
    `${what} ${whose} refuses (${shown}${more}): pass a narrower ${field}, within those blocks`,
    { details: { layer, allowlist } },
  );
}
