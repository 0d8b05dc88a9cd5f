import { type Actor, actingPrincipal } from './accounts/acting-principal.js';
import { KeysApi } from './accounts/keys-api.js';
import type { LifecycleContext } from './accounts/lifecycle-context.js';
import { ServiceAccountsApi } from './accounts/service-accounts-api.js';
import { AuditApi } from './audit/audit-api.js';
import { type KeywardConfig, resolveLimits } from './config.js';
import {
  createTokenHasher,
  createTokenParser,
  validateSecretLength,
  validateTokenPrefix,
} from './keys/index.js';
import {
  createPolicy,
  type Decision,
  defaultPermissions,
  defaultRoles,
  type Policy,
  type Resource,
  type UserPrincipal,
} from './policy/index.js';
import { LastUsedRecorder } from './verify/last-used-recorder.js';
import { VerificationCache } from './verify/verification-cache.js';
import { VerifiedPrincipals } from './verify/verified-principals.js';
import { Verifier } from './verify/verifier.js';
import type { VerifyRequest, VerifyResult } from './verify/verify-result.js';

/**
 * The keyward instance: management APIs, the request-path `verify`, and the pure `authorize`.
 * Build one per process with {@link createKeyward}.
 */
export interface Keyward {
  /** Service account lifecycle: create, get, list, update, dataset grants, disable/enable, delete. */
  readonly serviceAccounts: ServiceAccountsApi;
  /** Key lifecycle: issue, regenerate, revoke, list, get. */
  readonly keys: KeysApi;
  /** The audit trail. */
  readonly audit: AuditApi;
  /** The compiled policy (catalog, roles, forbid rules). */
  readonly policy: Policy;
  /** The configured token prefix. */
  readonly tokenPrefix: string;
  /**
   * Verifies a presented token for an action on a resource. Never throws: every failure is
   * `{ ok: false, code }`. Malformed tokens never reach storage; a resource given as a function
   * is resolved only once the credential passed. The principal returned is plain, frozen data.
   */
  verify(token: unknown, request: VerifyRequest): Promise<VerifyResult>;
  /**
   * Pure, synchronous decision for a principal: one `verify` returned (within the key's rights
   * as verified), a key compiled by `policy.compileKey`, or a user actor.
   */
  authorize(
    principal: Actor | UserPrincipal,
    action: string,
    resource: Resource,
    options?: { now?: number; explain?: boolean },
  ): Decision;
  /** Writes pending `lastUsedAt` updates now. */
  flush(): Promise<void>;
  /** Flushes and releases the storage adapter's own resources. */
  close(): Promise<void>;
}

/**
 * Builds a keyward instance. Validates the whole configuration up front and throws
 * `KeywardError('INVALID_CONFIG')` with every problem.
 *
 * @example
 * ```ts
 * import { createKeyward } from 'keyward';
 * import { memoryAdapter } from 'keyward/adapters/memory';
 *
 * const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
 * const admin = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] } as const;
 * const { account, key } = await kw.serviceAccounts.create(admin, {
 *   workspaceId: 'w_1', name: 'ETL', roles: ['analyst'], firstKey: { name: 'prod' },
 * });
 * const result = await kw.verify(key?.token, { action: 'datasets:read', resource: { tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' } });
 * ```
 */
export function createKeyward(config: KeywardConfig): Keyward {
  const limits = resolveLimits(config);
  validateTokenPrefix(config.tokenPrefix);
  const secretLength =
    config.secretLength === undefined ? undefined : validateSecretLength(config.secretLength);
  const policy = createPolicy({
    permissions: config.permissions ?? defaultPermissions,
    roles: config.roles ?? defaultRoles,
    forbid: config.forbid ?? [],
  });
  const tokenHasher = createTokenHasher({
    hasher: config.hasher,
    pepper: config.pepper,
    previousPeppers: config.previousPeppers,
  });
  const clock = config.clock ?? Date.now;
  const storage = config.storage;
  const lastUsed = new LastUsedRecorder(
    storage,
    limits.lastUsedIntervalMs,
    config.onBackgroundError ?? (() => {}),
  );
  const cache =
    limits.cache === undefined
      ? undefined
      : new VerificationCache(limits.cache.ttlMs, limits.cache.maxEntries);
  const verifiedPrincipals = new VerifiedPrincipals();
  const ctx: LifecycleContext = {
    storage,
    policy,
    limits,
    clock,
    tokenPrefix: config.tokenPrefix,
    secretLength,
    tokenHasher,
    datasetsInWorkspace: config.datasetsInWorkspace,
    changes: {
      keyChanged: (keyId) => cache?.keyChanged(keyId),
      accountChanged: (serviceAccountId) => cache?.accountChanged(serviceAccountId),
    },
    verifiedPrincipals,
  };
  const verifier = new Verifier({
    storage,
    policy,
    parse: createTokenParser({ prefix: config.tokenPrefix, secretLength }),
    tokenHasher,
    lastUsed,
    clock,
    cache,
    verified: verifiedPrincipals,
    liveCreators: limits.liveCreatorBoundary ? config.resolveActor : undefined,
  });
  return {
    serviceAccounts: new ServiceAccountsApi(ctx),
    keys: new KeysApi(ctx),
    audit: new AuditApi(ctx),
    policy,
    tokenPrefix: config.tokenPrefix,
    verify: (token, request) => verifier.verify(token, request),
    authorize: (principal, action, resource, options = {}) => {
      const compiled = policy.isUserPrincipal(principal)
        ? principal
        : actingPrincipal(ctx, principal).principal;
      return policy.authorize(compiled, action, resource, {
        now: options.now ?? clock(),
        ...(options.explain ? { explain: true } : {}),
      });
    },
    flush: () => lastUsed.flush(),
    close: async () => {
      await lastUsed.flush();
      await storage.close?.();
    },
  };
}
