import type { KeyPrincipal, Policy } from '../policy/index.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';

/** Most compiled principals kept; the map is cleared when full (a cheap, bounded cache). */
const MAX_ENTRIES = 50_000;

interface Entry {
  readonly accountVersion: number;
  readonly keyStatus: string;
  readonly principal: KeyPrincipal;
}

/**
 * Compiled principals by key id. A key's compiled form depends only on its status (scopes,
 * environment and expiry never change) and on its account, whose `version` moves with every
 * change: an entry is reused only while both match what storage just returned, so a
 * revocation or an account change applies on the very next request.
 *
 * @internal
 */
export class PrincipalCache {
  readonly #policy: Policy;
  readonly #entries = new Map<string, Entry>();

  constructor(policy: Policy) {
    this.#policy = policy;
  }

  /** The compiled principal for this storage read, without the creator boundary. */
  principalFor(found: KeyWithAccount): KeyPrincipal {
    const { key, account } = found;
    const entry = this.#entries.get(key.id);
    if (entry !== undefined && entry.keyStatus === key.status && entry.accountVersion === account.version) {
      return entry.principal;
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
      keyStatus: key.status,
      expiresAt: key.expiresAt === null ? null : key.expiresAt.getTime(),
      creator: null,
    });
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(key.id, { accountVersion: account.version, keyStatus: key.status, principal });
    return principal;
  }
}
