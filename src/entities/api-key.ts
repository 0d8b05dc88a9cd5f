import { z } from 'zod';
import { actorRefSchema } from './actor.js';
import {
  grantPatternSchema,
  keyIdSchema,
  serviceAccountIdSchema,
  tenantIdSchema,
  workspaceIdSchema,
} from './ids.js';
import { keyCreditsSchema, rateLimitListSchema, storedIpAllowlistSchema } from './request-controls.js';
import { metadataSchema, nameSchema } from './text.js';

/** The environment a key belongs to. A field of the key, never parsed out of the token prefix. */
export const keyEnvironmentSchema = z.enum(['live', 'test']);

/** The environment of a key. */
export type KeyEnvironment = z.infer<typeof keyEnvironmentSchema>;

/**
 * Stored status of a key. `disabled` and `expired` are derived (from `disabledAt` and
 * `expiresAt`) when keys are shown; see {@link keyStatusSchema}.
 */
export const storedKeyStatusSchema = z.enum(['active', 'revoked']);

/**
 * Status of a key as shown to users, derived from the stored record at a given time, first match
 * wins: `revoked` (stored status, final) > `disabled` (`disabledAt` set, reversible) > `expired`
 * (`expiresAt` at or before now) > `active`. Every status but `active` is refused by `kw.verify`.
 */
export const keyStatusSchema = z.enum(['active', 'revoked', 'disabled', 'expired']);

/** Status of a key as shown to users. */
export type KeyStatus = z.infer<typeof keyStatusSchema>;

/** A key's optional narrower scopes: 1-100 distinct grant patterns. */
export const scopeListSchema = z
  .array(grantPatternSchema)
  .min(1)
  .max(100)
  .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'Scopes must be distinct' });

/** A lowercase hex SHA-256 / HMAC-SHA256 digest. */
const digestSchema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * An API key as stored. Only the digest of the token is kept (`hash`, `hashVersion`,
 * `pepperId`); the secret itself never is. After a regeneration with a grace period the
 * previous digest stays valid until `previousHashExpiresAt`.
 */
export const apiKeySchema = z.strictObject({
  id: keyIdSchema,
  serviceAccountId: serviceAccountIdSchema,
  tenantId: tenantIdSchema,
  workspaceId: workspaceIdSchema,
  name: nameSchema,
  environment: keyEnvironmentSchema,
  scopes: scopeListSchema.nullable(),
  hash: digestSchema,
  hashVersion: z.number().int().min(1),
  pepperId: z.string().nullable(),
  previousHash: digestSchema.nullable(),
  previousHashVersion: z.number().int().min(1).nullable(),
  previousPepperId: z.string().nullable(),
  previousHashExpiresAt: z.date().nullable(),
  /** The first characters of the token (prefix, key id and 4 secret characters), for lists. */
  start: z.string().max(128),
  status: storedKeyStatusSchema,
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  createdBy: actorRefSchema,
  /**
   * Who received the current secret through `regenerate`, or `null` while the creator's secret
   * is the current one. Bound by the live creator boundary like `createdBy`.
   */
  regeneratedBy: actorRefSchema.nullable(),
  /**
   * Who received the previous secret (the one `previousHash` keeps through a grace period): the
   * key's `regeneratedBy ?? createdBy` when `regenerate` moved it aside. `null` when there is no
   * previous secret, and on keys regenerated before this field existed (under the live creator
   * boundary such a previous secret is refused: its receiver is unknown).
   */
  previousRegeneratedBy: actorRefSchema.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  revokedAt: z.date().nullable(),
  /** Host metadata (flat values, never secrets); `{}` when none. */
  metadata: metadataSchema,
  /**
   * When the key was disabled, or `null`. A disabled key is refused like a revoked one but can be
   * enabled again (set back to `null`); the stored `status` stays `active`.
   */
  disabledAt: z.date().nullable(),
  /** When an "expiring soon" notice was last sent for the key, or `null` (none yet). */
  expiryNoticeAt: z.date().nullable(),
  /**
   * The addresses the key may be used from: normalised CIDR blocks, or `null` for any address
   * (its account's allowlist, when set, applies as well).
   */
  ipAllowlist: storedIpAllowlistSchema.nullable(),
  /** The key's own rate limits (each counts this key's requests only); `[]` for none. */
  rateLimits: rateLimitListSchema,
  /**
   * The key's usage credits, or `null` for unlimited. `updateKey` never writes them (like
   * `lastUsedAt`): only `setKeyCredits` and `spendCredits` move a stored balance.
   */
  credits: keyCreditsSchema.nullable(),
});

/** An API key as stored (digest only, never the secret). */
export type ApiKey = z.infer<typeof apiKeySchema>;

/** What management calls return for a key: every field but the digests, with a derived status. */
export type ApiKeyInfo = Omit<
  ApiKey,
  'hash' | 'hashVersion' | 'pepperId' | 'previousHash' | 'previousHashVersion' | 'previousPepperId' | 'status'
> & {
  /** Derived: `revoked` > `disabled` > `expired` > `active` (see {@link keyStatusSchema}). */
  status: KeyStatus;
  /** True while a regenerated key's previous secret is still accepted. */
  previousSecretActive: boolean;
};
