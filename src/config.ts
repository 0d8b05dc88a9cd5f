import { z } from 'zod';
import type { UserActor } from './entities/actor.js';
import { type KeyEnvironment, keyEnvironmentSchema } from './entities/api-key.js';
import { ERROR_CODES } from './errors/error-codes.js';
import { KeywardError } from './errors/keyward-error.js';
import { parseConfig } from './errors/parse-input.js';
import type { Hasher, Pepper, TokenPrefixes } from './keys/index.js';
import type { KeywardEvent } from './management/events/keyward-event.js';
import type { ForbidRule, PermissionCatalog, RoleSet } from './policy/index.js';
import type { StorageAdapter } from './storage/storage-adapter.js';

/**
 * Looks up the live rights of a human who created or regenerated keys. With
 * `liveCreatorBoundary` on, called on every verification of a key whose chain holds that user
 * (the creator boundary, DESIGN section 5 layer 8): return `null` when the user is gone, and keep
 * it fast (cache on your side if needed). A throw or `null` refuses the key (`creator_inactive`).
 */
export type ResolveActor = (ref: {
  readonly type: 'user';
  readonly id: string;
  readonly tenantId: string;
}) => Promise<UserActor | null>;

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
   * Caches the request path's read by key id for `ttlMs` (off by default). Changes made
   * through this instance apply at once; changes made by other instances sharing the storage
   * apply within `ttlMs`. Unknown key ids are never cached.
   */
  cache?: { readonly ttlMs: number; readonly maxEntries?: number | undefined } | undefined;
  /** Records `lastUsedAt` at most once per key per this many ms (default 60 000). */
  lastUsedIntervalMs?: number | undefined;
  /** Current time in epoch ms (default `Date.now`). */
  clock?: (() => number) | undefined;
  /** Called with errors of background bookkeeping (lastUsedAt flushes); default: ignored. */
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
}

const DAY_MS = 24 * 3600 * 1000;

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
    .strictObject({
      ttlMs: z.number().int().min(1).max(3_600_000),
      maxEntries: z.number().int().min(1).max(10_000_000).default(100_000),
    })
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
});

/** The plain settings after defaults. @internal */
export interface ResolvedLimits {
  maxKeysPerAccount: number;
  /** Most active personal keys per person and workspace. */
  maxPersonalKeys: number;
  minKeyTtl: number | undefined;
  maxKeyTtl: number | undefined;
  lastUsedIntervalMs: number;
  cache: { ttlMs: number; maxEntries: number } | undefined;
  /** True when every verification checks the live creator chain (`resolveActor` is then set). */
  liveCreatorBoundary: boolean;
  /** The environments `verify` accepts by default (`config.acceptEnvironments`), distinct, frozen. */
  acceptEnvironments: readonly KeyEnvironment[];
  /** How long before a key's expiry it counts as expiring soon (`key.expiring_soon`), in ms. */
  expiringSoonLeadMs: number;
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
  };
}
