import { z } from 'zod';
import type { ResolveActor } from './entities/actor.js';
import { type KeyEnvironment, keyEnvironmentSchema } from './entities/api-key.js';
import { type RateLimitRule, rateLimitListSchema } from './entities/request-controls.js';
import { ERROR_CODES } from './errors/error-codes.js';
import { KeywardError } from './errors/keyward-error.js';
import { parseConfig } from './errors/parse-input.js';
import type { Hasher, Pepper, TokenPrefixes } from './keys/index.js';
import type { KeywardEvent } from './management/events/keyward-event.js';
import type { ForbidRule, PermissionCatalog, RoleSet } from './policy/index.js';
import type { KeywardInstrumentation } from './request-controls/observability/instrumentation.js';
import type { RateLimiter } from './request-controls/rate-limiter.js';
import type { ChangeFeed } from './storage/change-feed.js';
import type { StorageAdapter } from './storage/storage-adapter.js';
import type { VerifyRequest, VerifyResult } from './verify/verify-result.js';

/**
 * Tells which of `datasetIds` belong to the workspace. Used when dataset grants are saved, to
 * refuse datasets outside the account's binding. Without it, keyward cannot know the host's
 * datasets and skips that check.
 */
export type DatasetsInWorkspace = (args: {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly datasetIds: readonly string[];
}) => Promise<readonly string[]>;

/**
 * Configuration of {@link createKeyward}. `A` and `R` are the permission and role names of
 * `permissions` and `roles` (inferred from {@link definePermissions} / {@link defineRoles}), so
 * the instance only accepts the host's own actions and roles.
 *
 * @example
 * ```ts
 * createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
 * ```
 */
export interface KeywardConfig<A extends string = string, R extends string = string> {
  /** Where accounts, keys and the audit trail live. */
  storage: StorageAdapter;
  /**
   * Token prefix: lowercase `[a-z0-9]` segments joined by `_`, e.g. `acme`. A string serves both
   * environments; `{ live: 'acme_live', test: 'acme_test' }` gives each its own (distinct, neither
   * `<prefix>_` the start of the other's), so a token says which environment it belongs to.
   */
  tokenPrefix: string | TokenPrefixes;
  /**
   * The key environments `verify` accepts when a request does not say (`VerifyRequest.environments`);
   * default both. A live-only deployment sets `['live']`: a test key is then refused with
   * `environment_not_accepted`.
   */
  acceptEnvironments?: readonly KeyEnvironment[] | undefined;
  /** The host's permission catalog (default: {@link defaultPermissions}). */
  permissions?: PermissionCatalog<A> | undefined;
  /** Roles over the catalog (default: {@link defaultRoles}). */
  roles?: RoleSet<R> | undefined;
  /** Host forbid rules: deny wins over every grant. */
  forbid?: readonly ForbidRule<A>[] | undefined;
  /** Most active keys per account (default 2: one in use, one for rotation). */
  maxKeysPerAccount?: number | undefined;
  /** Most active personal keys one person holds in one workspace (`kw.personalKeys`), 1-100; default 10. */
  maxPersonalKeys?: number | undefined;
  /** Shortest allowed key lifetime in seconds. */
  minKeyTtl?: number | undefined;
  /** Longest allowed key lifetime in seconds; keys issued without expiry get this one. */
  maxKeyTtl?: number | undefined;
  /** Live rights of human creators; required by `liveCreatorBoundary`. */
  resolveActor?: ResolveActor | undefined;
  /**
   * The live creator boundary (off by default). Off, a service-account key is bounded when it is
   * written (whoever issues, regenerates or grants must hold what they give) and no creator is
   * looked up on the request path: an integration keeps working when the person who set it up
   * leaves. On, every verification also checks the live rights of every creator up the key's
   * chain (users through `resolveActor`, keys from storage with their own status and creators)
   * and of whoever regenerated its current secret, at most 8 hops; a chain that cannot be
   * resolved refuses the key (`creator_inactive`). Requires `resolveActor`.
   */
  liveCreatorBoundary?: boolean | undefined;
  /** Which datasets belong to a workspace, to refuse grants outside the binding. */
  datasetsInWorkspace?: DatasetsInWorkspace | undefined;
  /** Digest primitives (default: @noble/hashes; `nodeHasher` from `keyward/node` is faster on Node). */
  hasher?: Hasher | undefined;
  /** Current pepper: digests become HMAC-SHA256 keyed with it. */
  pepper?: Pepper | undefined;
  /** Earlier peppers still accepted for keys hashed with them. */
  previousPeppers?: readonly Pepper[] | undefined;
  /** Secret length in base62 characters (default 43 = 256 bits; at least 22). */
  secretLength?: number | undefined;
  /**
   * The cache of the request path's read by key id. **On by default whenever keyward hears of
   * every change**: with a change feed (`changes`, or the storage's own, as the memory adapter's);
   * then changes made anywhere evict at once, a row is read again after `ttlMs` (default 60 s) at
   * the latest, unknown key ids are remembered too (at most `maxUnknown`, default 10,000; a key
   * created anywhere evicts its id), and nothing cached is served while the feed is not live.
   * Without a feed it is off unless set: then changes made by other instances apply within
   * `ttlMs` and unknown ids are never cached. `false` turns it off. At most `maxEntries` rows
   * (default 100,000).
   */
  cache?:
    | {
        readonly ttlMs?: number | undefined;
        readonly maxEntries?: number | undefined;
        readonly maxUnknown?: number | undefined;
      }
    | false
    | undefined;
  /**
   * How every instance sharing the storage hears of changes, so the cache stays right across a
   * fleet: `postgresChangeFeed` or `sqliteChangeFeed` from `keyward/adapters/kysely`,
   * `redisChangeFeed` from `keyward/redis`. Default: the storage's own (the memory adapter has
   * one). keyward starts it and stops it on `close()`.
   */
  changes?: ChangeFeed | undefined;
  /** Records `lastUsedAt` at most once per key per this many ms (default 60 000). */
  lastUsedIntervalMs?: number | undefined;
  /** Current time in epoch ms (default `Date.now`). */
  clock?: (() => number) | undefined;
  /**
   * Called with errors that fail no call: background bookkeeping (lastUsedAt flushes), host hooks
   * that ran after a commit (`onEvent`, the management API's `endpointsBaseUrl` once a key is
   * saved); default: ignored.
   */
  onBackgroundError?: ((error: unknown) => void) | undefined;
  /**
   * Told of every committed change, one call per {@link KeywardEvent} (key created, regenerated,
   * revoked, expired, expiring soon, leaked, swept; service account created, updated, disabled,
   * enabled, deleted), after the transaction committed and in commit order; never for a
   * rolled-back, retried-away or refused change. The management call waits until the handler
   * settled, but a throw or rejection goes to `onBackgroundError` and the call still succeeds.
   * Keep it quick (hand the event to a queue to send mail or webhooks); `close()` waits for it.
   */
  onEvent?: ((event: KeywardEvent) => void | Promise<void>) | undefined;
  /**
   * How long before a key's expiry the expiry sweep reports `key.expiring_soon`, in ms
   * (default 7 days; 1 ms to 365 days).
   */
  expiringSoonLeadMs?: number | undefined;
  /**
   * IP allowlists on accounts and keys: at most `maxEntries` CIDR blocks per list (default 100,
   * up to 1000), and whether a block matching every address (`0.0.0.0/0`, `::/0`) may be saved
   * (default false: such a list is refused when saved, as it allows nothing less than no list).
   */
  ipAllowlists?:
    | { readonly maxEntries?: number | undefined; readonly allowAnyAddress?: boolean | undefined }
    | undefined;
  /**
   * Rate limits: where their buckets live (default: in this process's memory, `memoryRateLimiter()`;
   * a fleet shares `redisRateLimiter` from `keyward/redis` or `kyselyRateLimiter`), and the
   * host's default limits, applied to every key that has no limit of the same name of its own.
   */
  rateLimits?:
    | { readonly limiter?: RateLimiter | undefined; readonly defaults?: readonly RateLimitRule[] | undefined }
    | undefined;
  /**
   * A budget of failed verifications (malformed token, unknown key, wrong secret) per client
   * address (`VerifyRequest.ip`; IPv6 by /64): once spent, `verify` answers `too_many_failures`
   * without reading storage until the budget refills. Off by default in the core; the framework
   * mounts turn theirs on.
   */
  failedVerificationThrottle?:
    | { readonly limit: number; readonly windowMs: number; readonly maxAddresses?: number | undefined }
    | undefined;
  /**
   * Called after every `verify` with its result and request (never the token). A throw goes to
   * `onBackgroundError`; keep it quick.
   */
  onVerify?: ((result: VerifyResult, request: VerifyRequest) => void) | undefined;
  /** Tracing and metrics hooks, e.g. `openTelemetry()` from `keyward/opentelemetry`. */
  instrumentation?: KeywardInstrumentation | undefined;
  /**
   * How often refused verifications of known keys are written to the audit trail as counts
   * (`api_key.refused`: key, reason, how many, first and last), in ms (default 60 000).
   */
  refusalAuditIntervalMs?: number | undefined;
}

export type { ResolveActor } from './entities/actor.js';

const DAY_MS = 24 * 3600 * 1000;

/** The cache's settings when the config leaves them out (and the default cache, with a change feed). @internal */
export const DEFAULT_CACHE = Object.freeze({ ttlMs: 60_000, maxEntries: 100_000, maxUnknown: 10_000 });

const configSchema = z.object({
  storage: z.custom<StorageAdapter>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as StorageAdapter).transaction === 'function',
    'Expected a StorageAdapter',
  ),
  // Validated by `resolveTokenPrefixes`, with messages of its own.
  tokenPrefix: z.union([z.string(), z.looseObject({})]),
  acceptEnvironments: z
    .array(keyEnvironmentSchema)
    .min(1)
    .refine((environments) => new Set(environments).size === environments.length, {
      message: 'Environments must be distinct',
    })
    .default(['live', 'test']),
  maxKeysPerAccount: z.number().int().min(1).max(100).default(2),
  maxPersonalKeys: z.number().int().min(1).max(100).default(10),
  minKeyTtl: z.number().int().positive().optional(),
  maxKeyTtl: z.number().int().positive().optional(),
  secretLength: z.number().int().optional(),
  lastUsedIntervalMs: z.number().int().min(0).default(60_000),
  cache: z
    .union([
      z.literal(false),
      z.strictObject({
        ttlMs: z.number().int().min(1).max(3_600_000).default(DEFAULT_CACHE.ttlMs),
        maxEntries: z.number().int().min(1).max(10_000_000).default(DEFAULT_CACHE.maxEntries),
        maxUnknown: z.number().int().min(0).max(10_000_000).default(DEFAULT_CACHE.maxUnknown),
      }),
    ])
    .optional(),
  changes: z
    .custom<ChangeFeed>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as ChangeFeed).start === 'function' &&
        typeof (value as ChangeFeed).stop === 'function',
      'Expected a ChangeFeed',
    )
    .optional(),
  clock: z.function().optional(),
  resolveActor: z.function().optional(),
  liveCreatorBoundary: z.boolean().default(false),
  datasetsInWorkspace: z.function().optional(),
  onBackgroundError: z.function().optional(),
  onEvent: z.function().optional(),
  expiringSoonLeadMs: z
    .number()
    .int()
    .min(1)
    .max(365 * DAY_MS)
    .default(7 * DAY_MS),
  ipAllowlists: z
    .strictObject({
      maxEntries: z.number().int().min(1).max(1000).default(100),
      allowAnyAddress: z.boolean().default(false),
    })
    .default({ maxEntries: 100, allowAnyAddress: false }),
  rateLimits: z
    .strictObject({
      limiter: z
        .custom<RateLimiter>(
          (value) =>
            typeof value === 'object' && value !== null && typeof (value as RateLimiter).take === 'function',
          'Expected a RateLimiter',
        )
        .optional(),
      defaults: rateLimitListSchema.default([]),
    })
    .default({ defaults: [] }),
  failedVerificationThrottle: z
    .strictObject({
      limit: z.number().int().min(1).max(1_000_000),
      windowMs: z.number().int().min(1000).max(DAY_MS),
      maxAddresses: z.number().int().min(1).max(10_000_000).default(100_000),
    })
    .optional(),
  onVerify: z.function().optional(),
  instrumentation: z.looseObject({}).optional(),
  refusalAuditIntervalMs: z.number().int().min(1000).max(DAY_MS).default(60_000),
});

/** The plain settings after defaults. @internal */
export interface ResolvedLimits {
  maxKeysPerAccount: number;
  /** Most active personal keys per person and workspace. */
  maxPersonalKeys: number;
  minKeyTtl: number | undefined;
  maxKeyTtl: number | undefined;
  lastUsedIntervalMs: number;
  /** The cache as asked: settings, `false` (off), or `undefined` (the default: on with a change feed). */
  cache: { ttlMs: number; maxEntries: number; maxUnknown: number } | false | undefined;
  /** True when every verification checks the live creator chain (`resolveActor` is then set). */
  liveCreatorBoundary: boolean;
  /** The environments `verify` accepts by default (`config.acceptEnvironments`), distinct, frozen. */
  acceptEnvironments: readonly KeyEnvironment[];
  /** How long before a key's expiry it counts as expiring soon (`key.expiring_soon`), in ms. */
  expiringSoonLeadMs: number;
  /** IP allowlist rules for writes: most entries per list, and whether an any-address block may be saved. */
  ipAllowlists: { maxEntries: number; allowAnyAddress: boolean };
  /** The host's default rate limits (per key), frozen. */
  defaultRateLimits: readonly RateLimitRule[];
  /** The failed-verification throttle, or `undefined` when off. */
  failedVerificationThrottle: { limit: number; windowMs: number; maxAddresses: number } | undefined;
  /** How often refusal counts are written to the audit trail, in ms. */
  refusalAuditIntervalMs: number;
}

/** Validates the plain parts of a config; the policy and key parts validate themselves. @internal */
export function resolveLimits<A extends string, R extends string>(
  config: KeywardConfig<A, R>,
): ResolvedLimits {
  const {
    maxKeysPerAccount,
    maxPersonalKeys,
    minKeyTtl,
    maxKeyTtl,
    lastUsedIntervalMs,
    cache,
    liveCreatorBoundary,
    acceptEnvironments,
    expiringSoonLeadMs,
    ipAllowlists,
    rateLimits,
    failedVerificationThrottle,
    refusalAuditIntervalMs,
  } = parseConfig(configSchema, config, 'keyward configuration');
  if (minKeyTtl !== undefined && maxKeyTtl !== undefined && minKeyTtl > maxKeyTtl) {
    throw new KeywardError(ERROR_CODES.INVALID_CONFIG, 'minKeyTtl must not exceed maxKeyTtl');
  }
  if (liveCreatorBoundary && config.resolveActor === undefined) {
    throw new KeywardError(
      ERROR_CODES.INVALID_CONFIG,
      'liveCreatorBoundary needs resolveActor: the live rights of human creators',
    );
  }
  return {
    maxKeysPerAccount,
    maxPersonalKeys,
    minKeyTtl,
    maxKeyTtl,
    lastUsedIntervalMs,
    cache,
    liveCreatorBoundary,
    acceptEnvironments: Object.freeze(acceptEnvironments),
    expiringSoonLeadMs,
    ipAllowlists,
    defaultRateLimits: Object.freeze(rateLimits.defaults.map((rule) => Object.freeze({ ...rule }))),
    failedVerificationThrottle,
    refusalAuditIntervalMs,
  };
}
