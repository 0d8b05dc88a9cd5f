import { DEFAULT_CACHE, type KeywardConfig, resolveLimits } from './config.js';
import { newAuditEventId } from './entities/id-generator.js';
import { ERROR_CODES } from './errors/error-codes.js';
import { KeywardError } from './errors/keyward-error.js';
import { createEnvironmentTokenParser } from './keys/environment-token-parser.js';
import {
  createTokenHasher,
  resolveTokenPrefixes,
  type TokenPrefixes,
  validateSecretLength,
} from './keys/index.js';
import { type Actor, actingPrincipal } from './management/actor.js';
import { AuditApi } from './management/audit/audit-api.js';
import { reportingBackgroundErrors } from './management/background-error-reports.js';
import { EventDelivery } from './management/events/event-delivery.js';
import { KeysApi } from './management/keys/keys-api.js';
import type { ManagementContext } from './management/management-context.js';
import { PersonalKeysApi } from './management/personal-keys/personal-keys-api.js';
import { ServiceAccountsApi } from './management/service-accounts/service-accounts-api.js';
import {
  createPolicy,
  type Decision,
  type DefaultPermission,
  type DefaultRole,
  defaultPermissions,
  defaultRoles,
  type PermissionCatalog,
  type Policy,
  type Resource,
  type RoleSet,
  type UserPrincipal,
} from './policy/index.js';
import { FailureThrottle } from './request-controls/failure-throttle.js';
import { memoryRateLimiter } from './request-controls/memory-rate-limiter.js';
import { instrumentedCalls, verifyObserver } from './request-controls/observability/instrumented-calls.js';
import type { RateLimiter } from './request-controls/rate-limiter.js';
import { InFlightWork } from './shutdown/in-flight-work.js';
import { trackedCalls } from './shutdown/tracked-calls.js';
import { startChangeFeed } from './verify/cache-feed.js';
import { IpAllowlists } from './verify/ip-allowlists.js';
import { LastUsedRecorder } from './verify/last-used-recorder.js';
import { RateLimits } from './verify/rate-limit-checks.js';
import { RefusalRecorder } from './verify/refusal-recorder.js';
import { VerificationCache } from './verify/verification-cache.js';
import { VerifiedPrincipals } from './verify/verified-principals.js';
import { Verifier } from './verify/verifier.js';
import type { VerifyRequest, VerifyResult } from './verify/verify-result.js';

/**
 * The keyward instance: management APIs, the request-path `verify`, and the pure `authorize`.
 * Build one per process with {@link createKeyward}. `A` is the catalog's permission names and
 * `R` its role names: actions, roles and scopes outside them do not compile. Both default to
 * `string`, so `Keyward` alone accepts any instance.
 */
export interface Keyward<A extends string = string, R extends string = string> {
  /** Service account lifecycle: create, get, list, update, dataset grants, disable/enable, delete. */
  readonly serviceAccounts: ServiceAccountsApi<R, A>;
  /** Key lifecycle: issue, regenerate, revoke, list, get. */
  readonly keys: KeysApi<A>;
  /** A person's own keys: issue, list, revoke; tenant admins list and revoke everyone's. */
  readonly personalKeys: PersonalKeysApi<A>;
  /** The audit trail. */
  readonly audit: AuditApi;
  /** The compiled policy (catalog, roles, forbid rules). */
  readonly policy: Policy<A, R>;
  /**
   * The token prefix of live keys: the configured prefix when `tokenPrefix` is a string (both
   * environments share it), else `tokenPrefix.live`. See {@link Keyward.tokenPrefixes} for both.
   */
  readonly tokenPrefix: string;
  /**
   * The token prefix of each environment, frozen: `{ live, test }`, equal when `tokenPrefix` was
   * configured as one string.
   *
   * @example
   * ```ts
   * const pattern = new RegExp(`^${kw.tokenPrefixes.test}_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$`);
   * ```
   */
  readonly tokenPrefixes: TokenPrefixes;
  /**
   * The key limits in effect (the config's, after defaults), frozen: for a page or a form that
   * tells people how many keys they may hold.
   *
   * @example
   * ```ts
   * `At most ${kw.limits.maxKeysPerAccount} keys per account`;
   * ```
   */
  readonly limits: {
    /** Most active keys a service account may hold (`maxKeysPerAccount`, default 2). */
    readonly maxKeysPerAccount: number;
    /** Most active personal keys per person and workspace (`maxPersonalKeys`). */
    readonly maxPersonalKeys: number;
  };
  /**
   * Verifies a presented token for an action on a resource. Never throws: every failure is
   * `{ ok: false, code }`. Malformed tokens never reach storage; a resource given as a function
   * is resolved only once the credential passed. The principal returned is plain, frozen data.
   */
  verify(token: unknown, request: VerifyRequest<A>): Promise<VerifyResult>;
  /**
   * Pure, synchronous decision for a principal: one `verify` returned (within the key's rights
   * as verified), a key compiled by `policy.compileKey`, or a user actor.
   */
  authorize(
    principal: Actor | UserPrincipal,
    action: A,
    resource: Resource,
    options?: { now?: number; explain?: boolean },
  ): Decision;
  /**
   * Writes every pending `lastUsedAt` now (also uses still inside their interval), and the
   * refusal counts not yet in the audit trail (`api_key.refused`).
   */
  flush(): Promise<void>;
  /**
   * Shuts the instance down, in order: refuses new calls (`verify` answers
   * `storage_unavailable`, management calls reject with `STORAGE_UNAVAILABLE`), waits for the
   * calls in progress and the `onEvent` calls they made (at most `timeoutMs`, default 10 s; calls
   * still running then are reported to `onBackgroundError`), writes every pending `lastUsedAt`,
   * then releases the storage adapter's own resources. Call it before destroying the database.
   * Idempotent.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', async () => { await kw.close(); await db.destroy(); });
   * ```
   */
  close(options?: { readonly timeoutMs?: number | undefined }): Promise<void>;
}

/** How long `close()` waits for calls in progress by default. */
const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

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
export function createKeyward<A extends string = DefaultPermission, R extends string = DefaultRole>(
  config: KeywardConfig<A, R>,
): Keyward<A, R> {
  const limits = resolveLimits(config);
  const tokenPrefixes = resolveTokenPrefixes(config.tokenPrefix);
  const secretLength =
    config.secretLength === undefined ? undefined : validateSecretLength(config.secretLength);
  // Without a catalog (or roles) of its own the instance uses the default one, and `A` (or `R`)
  // is then inferred as its names.
  const policy = createPolicy<A, R>({
    permissions: (config.permissions ?? defaultPermissions) as PermissionCatalog<A>,
    roles: (config.roles ?? defaultRoles) as RoleSet<R>,
    forbid: config.forbid ?? [],
  });
  const tokenHasher = createTokenHasher({
    hasher: config.hasher,
    pepper: config.pepper,
    previousPeppers: config.previousPeppers,
  });
  const clock = config.clock ?? Date.now;
  const storage = config.storage;
  const onBackgroundError = config.onBackgroundError ?? (() => {});
  const lastUsed = new LastUsedRecorder({
    storage,
    intervalMs: limits.lastUsedIntervalMs,
    clock,
    onError: onBackgroundError,
  });
  const inFlight = new InFlightWork();
  // The change feed: the host's, or the storage's own; the cache is on by default with one.
  const feed = config.changes ?? storage.changes;
  const cacheSettings = limits.cache === undefined && feed !== undefined ? DEFAULT_CACHE : limits.cache;
  const cache =
    cacheSettings === undefined || cacheSettings === false
      ? undefined
      : new VerificationCache({
          ...cacheSettings,
          // Without a feed, a key created elsewhere would go unseen and the TTL is the only bound.
          maxUnknown: feed === undefined ? 0 : cacheSettings.maxUnknown,
          staleWhileRevalidate: feed !== undefined,
        });
  const startedFeed = cache === undefined ? undefined : startChangeFeed(feed, cache, onBackgroundError);
  const verifiedPrincipals = new VerifiedPrincipals();
  const refusals = new RefusalRecorder({
    storage,
    intervalMs: limits.refusalAuditIntervalMs,
    clock,
    onError: onBackgroundError,
    newEventId: () => newAuditEventId(clock()),
  });
  // The memory limiter is made on first use: an instance without rate limits holds none.
  let limiter: RateLimiter | undefined = config.rateLimits?.limiter;
  const rateLimiter = (): RateLimiter => {
    limiter ??= memoryRateLimiter();
    return limiter;
  };
  const throttle =
    limits.failedVerificationThrottle === undefined
      ? undefined
      : new FailureThrottle(limits.failedVerificationThrottle);
  const instrumentation = config.instrumentation;
  const ctx: ManagementContext = {
    storage,
    policy,
    limits,
    clock,
    tokenPrefix: tokenPrefixes.live,
    tokenPrefixes,
    secretLength,
    tokenHasher,
    datasetsInWorkspace: config.datasetsInWorkspace,
    resolveActor: config.resolveActor,
    changes: {
      keyChanged: (keyId) => {
        cache?.keyChanged(keyId);
        startedFeed?.published([{ kind: 'key', id: keyId }]);
      },
      accountChanged: (serviceAccountId) => {
        cache?.accountChanged(serviceAccountId);
        startedFeed?.published([{ kind: 'account', id: serviceAccountId }]);
      },
    },
    audited: new EventDelivery({ onEvent: config.onEvent, onError: onBackgroundError, work: inFlight }),
    verifiedPrincipals,
  };
  const verifier = new Verifier({
    storage,
    policy,
    parser: createEnvironmentTokenParser(tokenPrefixes, secretLength),
    acceptEnvironments: limits.acceptEnvironments,
    tokenHasher,
    lastUsed,
    clock,
    cache,
    feed: startedFeed?.feed,
    verified: verifiedPrincipals,
    inFlight,
    liveCreators: config.resolveActor,
    liveCreatorBoundary: limits.liveCreatorBoundary,
    allowlists: new IpAllowlists(),
    rateLimits: new RateLimits(rateLimiter, limits.defaultRateLimits),
    throttle,
    refusals,
    observe: verifyObserver(config.onVerify, instrumentation, onBackgroundError),
  });
  /** Every call counted for `close()`, inside the instrumentation's span when there is one. */
  const managed = <T extends object>(api: T, scope: string): T =>
    trackedCalls(instrumentedCalls(api, scope, instrumentation, onBackgroundError), inFlight);
  let closed: Promise<void> | undefined;
  /** Refuses new work, waits for calls in progress, writes every pending use, closes storage. */
  async function closeInstance(timeoutMs: number): Promise<void> {
    const running = await inFlight.drain(timeoutMs);
    if (running > 0) {
      onBackgroundError(
        new KeywardError(
          ERROR_CODES.STORAGE_UNAVAILABLE,
          `close: ${running} calls were still running after ${timeoutMs} ms`,
          { details: { running, timeoutMs } },
        ),
      );
    }
    lastUsed.stop();
    refusals.stop();
    await Promise.all([lastUsed.flush(), refusals.flush(), startedFeed?.stop()]);
    await storage.close?.();
  }
  const instance: Keyward<A, R> = {
    serviceAccounts: managed(new ServiceAccountsApi<R, A>(ctx), 'serviceAccounts'),
    keys: managed(new KeysApi<A>(ctx), 'keys'),
    personalKeys: managed(new PersonalKeysApi<A>(ctx), 'personalKeys'),
    audit: managed(new AuditApi(ctx), 'audit'),
    policy,
    tokenPrefix: tokenPrefixes.live,
    tokenPrefixes,
    limits: Object.freeze({
      maxKeysPerAccount: limits.maxKeysPerAccount,
      maxPersonalKeys: limits.maxPersonalKeys,
    }),
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
    flush: async () => {
      await Promise.all([lastUsed.flush(), refusals.flush()]);
    },
    close: (options = {}) => {
      closed ??= closeInstance(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
      return closed;
    },
  };
  // The management API reports its hooks' failures after a commit to the same onBackgroundError.
  return reportingBackgroundErrors(instance, onBackgroundError);
}
