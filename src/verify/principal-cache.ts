import type { ApiKey } from '../entities/api-key.js';
import type { KeyPrincipal, KeyPrincipalFacts, Policy } from '../policy/index.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';
import { type VerifiedPrincipal, verifiedPrincipalOf } from './verified-principal.js';
import type { VerifiedPrincipals } from './verified-principals.js';

/** Most compiled principals kept; the map is cleared when full (a cheap, bounded cache). */
const MAX_ENTRIES = 50_000;

/** A key compiled for the policy, with the plain principal handed to hosts. @internal */
export interface CompiledKey {
  readonly accountVersion: number;
  readonly keyStatus: KeyPrincipalFacts['keyStatus'];
  readonly keyUpdatedAt: number;
  /** The compiled key, without a creator boundary. */
  readonly principal: KeyPrincipal;
  /** Its plain, frozen view, registered as verified with `principal`. */
  readonly verified: VerifiedPrincipal;
}

/**
 * Compiled principals by key id. A key's compiled form depends on its own record (its status,
 * revoked or disabled included, and whatever a change moves `updatedAt` for: regenerate, revoke)
 * and on its account, whose `version` moves with every change: an entry is reused only while all
 * three match what storage just returned, so a revocation, a disable or an account change applies
 * on the very next request.
 *
 * @internal
 */
export class PrincipalCache {
  readonly #policy: Policy;
  readonly #verified: VerifiedPrincipals;
  readonly #entries = new Map<string, CompiledKey>();

  constructor(policy: Policy, verified: VerifiedPrincipals) {
    this.#policy = policy;
    this.#verified = verified;
  }

  /** The compiled key for this storage read, without the creator boundary. */
  compiledFor(found: KeyWithAccount): CompiledKey {
    const { key, account } = found;
    const entry = this.#entries.get(key.id);
    const keyStatus = keyStatusOf(key);
    if (
      entry !== undefined &&
      entry.keyStatus === keyStatus &&
      entry.accountVersion === account.version &&
      entry.keyUpdatedAt === key.updatedAt.getTime()
    ) {
      return entry;
    }
    const principal = this.#policy.compileKey({
      tenantId: account.tenantId,
      workspaceId: account.workspaceId,
      serviceAccountId: account.id,
      keyId: key.id,
      environment: key.environment,
      roles: account.roles,
      scopes: key.scopes,
      readOnly: account.readOnly,
      datasetAccess: account.datasetAccess,
      accountStatus: account.status,
      keyStatus,
      expiresAt: key.expiresAt === null ? null : key.expiresAt.getTime(),
      creator: null,
      personal: account.ownerUserId !== undefined,
    });
    const verified = verifiedPrincipalOf(found);
    this.#verified.remember(verified, principal);
    const compiled: CompiledKey = {
      accountVersion: account.version,
      keyStatus,
      keyUpdatedAt: key.updatedAt.getTime(),
      principal,
      verified,
    };
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(key.id, compiled);
    return compiled;
  }
}

/**
 * The key status the policy compiles: `revoked` (final) before `disabled` (`disabledAt` set).
 * Part of the cache check, so a key disabled or enabled again is never served compiled as it was,
 * even by a change that left `updatedAt` alone.
 */
function keyStatusOf(key: ApiKey): KeyPrincipalFacts['keyStatus'] {
  if (key.status === 'revoked') return 'revoked';
  return key.disabledAt === null ? 'active' : 'disabled';
}
