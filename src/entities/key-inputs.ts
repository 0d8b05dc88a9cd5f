import { z } from 'zod';
import {
  type KeyEnvironment,
  type KeyStatus,
  keyEnvironmentSchema,
  keyStatusSchema,
  scopeListSchema,
} from './api-key.js';
import { keyIdSchema, serviceAccountIdSchema, workspaceIdSchema } from './ids.js';
import { ipAllowlistInputSchema } from './ip-allowlist-input.js';
import { type KeyCreditsInput, keyCreditsInputSchema } from './key-credits-input.js';
import { cursorSchema, limitSchema } from './pagination.js';
import { type RateLimitRule, rateLimitListSchema } from './request-controls.js';
import { metadataSchema, nameSchema } from './text.js';

/** Longest grace period for a regenerated key's previous secret: 7 days. */
export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 3600;

/** An absolute expiry: a Date or an ISO-8601 timestamp with offset. */
const instantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
]);

/** A relative expiry in seconds (at most 100 years). */
const expiresInSecondsSchema = z
  .number()
  .int()
  .positive()
  .max(100 * 365 * 24 * 3600);

/** The key part of an issue call (also used for the first key of a new account). */
export const newKeySchema = z
  .strictObject({
    name: nameSchema,
    environment: keyEnvironmentSchema.default('live'),
    scopes: scopeListSchema.optional(),
    /** Absolute expiry. Mutually exclusive with `expiresInSeconds`. */
    expiresAt: instantSchema.optional(),
    /** Relative expiry in seconds. Mutually exclusive with `expiresAt`. */
    expiresInSeconds: expiresInSecondsSchema.optional(),
    /** The addresses the key may be used from (normalised CIDR blocks); `null` or absent: any. */
    ipAllowlist: ipAllowlistInputSchema.nullable().optional(),
    /** The key's own rate limits (at most 10, distinct names); absent: none. */
    rateLimits: rateLimitListSchema.optional(),
    /** The key's usage credits; `null` or absent: unlimited. */
    credits: keyCreditsInputSchema.nullable().optional(),
  })
  .refine((value) => value.expiresAt === undefined || value.expiresInSeconds === undefined, {
    message: 'Give expiresAt or expiresInSeconds, not both',
    path: ['expiresInSeconds'],
  });

/**
 * A new key (of `kw.keys.issue`, or the first key of an account). `S` is the grant patterns
 * `scopes` accept: `GrantPattern<A>` over the instance's catalog.
 */
export interface NewKeyInput<S extends string = string> {
  /** A display name (1-100 characters of plain text). */
  name: string;
  /** `live` (default) or `test`. */
  environment?: KeyEnvironment | undefined;
  /** Narrower grant patterns (1-100) within the account's roles; omitted: the roles' full rights. */
  scopes?: readonly S[] | undefined;
  /** Absolute expiry: a Date or an ISO-8601 timestamp with offset. Not with `expiresInSeconds`. */
  expiresAt?: Date | string | undefined;
  /** Relative expiry in seconds. Not with `expiresAt`. */
  expiresInSeconds?: number | undefined;
  /**
   * The addresses the key may be used from: 1-1000 IP addresses or CIDR blocks, stored in
   * canonical form; `null` or absent: any address (its account's allowlist still applies).
   */
  ipAllowlist?: readonly string[] | null | undefined;
  /** The key's own rate limits (at most 10 with distinct names), each counting this key's requests. */
  rateLimits?: readonly RateLimitRule[] | undefined;
  /** The key's usage credits; `null` or absent: unlimited. */
  credits?: KeyCreditsInput | null | undefined;
}

/** `kw.keys.issue(actor, input)`. */
export const issueKeyInputSchema = z.strictObject({
  serviceAccountId: serviceAccountIdSchema,
  key: newKeySchema,
});

/** Input of `kw.keys.issue`; `S` is the grant patterns its `scopes` accept. */
export interface IssueKeyInput<S extends string = string> {
  /** The account the key belongs to. */
  serviceAccountId: string;
  /** The key to issue. */
  key: NewKeyInput<S>;
}

/** `kw.keys.regenerate(actor, input)`: same key id, new secret. */
export const regenerateKeyInputSchema = z.strictObject({
  keyId: keyIdSchema,
  /** How long the old secret keeps working; 0 (default) revokes it at once. Never past the key's expiry. */
  gracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_PERIOD_SECONDS).default(0),
});

/** Input of `kw.keys.regenerate`. */
export interface RegenerateKeyInput {
  /** The key; its id stays, its secret changes. */
  keyId: string;
  /** How long the old secret keeps working, 0-604800 s; 0 (default) revokes it at once. Never past the key's expiry. */
  gracePeriodSeconds?: number | undefined;
}

/** `kw.keys.get` / `revoke` / `disable` / `enable`. */
export const keyRefInputSchema = z.strictObject({ keyId: keyIdSchema });

/** Input of `kw.keys.get`, `revoke`, `disable` and `enable`. */
export interface KeyRefInput {
  /** The key id. */
  keyId: string;
}

/** `kw.keys.list(actor, input)`. */
export const listKeysInputSchema = z.strictObject({
  serviceAccountId: serviceAccountIdSchema,
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.keys.list`. */
export interface ListKeysInput {
  /** The account whose keys to list. */
  serviceAccountId: string;
  /** Page size, 1-100 (default 50). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** The members of `kw.keys.update` that change the key (at least one is required). */
const KEY_UPDATE_FIELDS = [
  'name',
  'expiresAt',
  'expiresInSeconds',
  'scopes',
  'metadata',
  'ipAllowlist',
  'rateLimits',
  'credits',
] as const;

/**
 * `kw.keys.update(actor, input)`: rename, add or shorten the expiry, narrow the scopes, replace the
 * metadata, the IP allowlist, the rate limits or the credits. At least one of them; what may change
 * is decided on the key as locked in the write.
 */
export const updateKeyInputSchema = z
  .strictObject({
    keyId: keyIdSchema,
    /** Fails with `CONFLICT` unless the key's `updatedAt` is still this instant. */
    expectedUpdatedAt: instantSchema.optional(),
    name: nameSchema.optional(),
    /** A new absolute expiry: never later than the current one. Not with `expiresInSeconds`. */
    expiresAt: instantSchema.optional(),
    /** A new relative expiry: never later than the current one. Not with `expiresAt`. */
    expiresInSeconds: expiresInSecondsSchema.optional(),
    /** Narrower scopes, replacing the old: they may give nothing the key does not already have. */
    scopes: scopeListSchema.optional(),
    metadata: metadataSchema.optional(),
    /** A new IP allowlist replacing the old, or `null` to remove it (any address). */
    ipAllowlist: ipAllowlistInputSchema.nullable().optional(),
    /** New rate limits replacing the old (`[]` removes them). */
    rateLimits: rateLimitListSchema.optional(),
    /** New credits replacing the balance and refill (the refill interval restarts), or `null`: unlimited. */
    credits: keyCreditsInputSchema.nullable().optional(),
  })
  .refine((value) => value.expiresAt === undefined || value.expiresInSeconds === undefined, {
    message: 'Give expiresAt or expiresInSeconds, not both',
    path: ['expiresInSeconds'],
  })
  .refine((value) => KEY_UPDATE_FIELDS.some((field) => value[field] !== undefined), {
    message: 'Nothing to update',
  });

/**
 * Input of `kw.keys.update`: the key and at least one field to change. `S` is the grant patterns
 * `scopes` accept: `GrantPattern<A>` over the instance's catalog.
 */
export interface UpdateKeyInput<S extends string = string> {
  /** The key. */
  keyId: string;
  /** Fails with `CONFLICT` unless the key's `updatedAt` is still this instant (a Date or ISO-8601 text). */
  expectedUpdatedAt?: Date | string | undefined;
  /** A new display name (1-100 characters of plain text). */
  name?: string | undefined;
  /**
   * A new absolute expiry (a Date or ISO-8601 timestamp with offset): adds one to a key without,
   * or shortens it; never later than the current expiry. Not with `expiresInSeconds`.
   */
  expiresAt?: Date | string | undefined;
  /** A new expiry in seconds from now, under the same rules as `expiresAt`. */
  expiresInSeconds?: number | undefined;
  /** Narrower grant patterns (1-100), replacing the key's: never more than the key has now. */
  scopes?: readonly S[] | undefined;
  /** New host metadata (flat values, never secrets), replacing the old. */
  metadata?: Readonly<Record<string, string | number | boolean | null>> | undefined;
  /**
   * A new IP allowlist (1-1000 addresses or CIDR blocks, stored in canonical form) replacing the
   * key's, or `null` to remove it.
   */
  ipAllowlist?: readonly string[] | null | undefined;
  /** New rate limits replacing the key's (`[]` removes them). */
  rateLimits?: readonly RateLimitRule[] | undefined;
  /**
   * New credits replacing the key's balance and refill (the refill interval starts now), or
   * `null` for unlimited. A key acting on its own key may not set them.
   */
  credits?: KeyCreditsInput | null | undefined;
}

/** `kw.keys.query(actor, input)`: the keys of the actor's tenant matching every filter. */
export const queryKeysInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema.optional(),
  status: keyStatusSchema.optional(),
  environment: keyEnvironmentSchema.optional(),
  expiresBefore: instantSchema.optional(),
  unusedSince: instantSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.keys.query`: every filter is optional; the tenant is always the actor's. */
export interface QueryKeysInput {
  /** Only keys of this workspace; without it, the keys of every workspace the actor may read. */
  workspaceId?: string | undefined;
  /** Only keys of this status, derived now: `revoked` > `disabled` > `expired` > `active`. */
  status?: KeyStatus | undefined;
  /** Only `live` or only `test` keys. */
  environment?: KeyEnvironment | undefined;
  /** Only keys expiring strictly before this instant (keys without an expiry never match). */
  expiresBefore?: Date | string | undefined;
  /** Only keys not used since this instant (never used, or last used before it), created before it. */
  unusedSince?: Date | string | undefined;
  /** Page size, 1-100 (default 50). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}
