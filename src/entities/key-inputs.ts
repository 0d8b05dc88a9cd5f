import { z } from 'zod';
import { type KeyEnvironment, keyEnvironmentSchema, scopeListSchema } from './api-key.js';
import { keyIdSchema, serviceAccountIdSchema } from './ids.js';
import { cursorSchema, limitSchema } from './pagination.js';
import { nameSchema } from './text.js';

/** Longest grace period for a regenerated key's previous secret: 7 days. */
export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 3600;

/** An absolute expiry: a Date or an ISO-8601 timestamp with offset. */
const instantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
]);

/** The key part of an issue call (also used for the first key of a new account). */
export const newKeySchema = z
  .strictObject({
    name: nameSchema,
    environment: keyEnvironmentSchema.default('live'),
    scopes: scopeListSchema.optional(),
    /** Absolute expiry. Mutually exclusive with `expiresInSeconds`. */
    expiresAt: instantSchema.optional(),
    /** Relative expiry in seconds. Mutually exclusive with `expiresAt`. */
    expiresInSeconds: z
      .number()
      .int()
      .positive()
      .max(100 * 365 * 24 * 3600)
      .optional(),
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

/** `kw.keys.get` / `kw.keys.revoke`. */
export const keyRefInputSchema = z.strictObject({ keyId: keyIdSchema });

/** Input of `kw.keys.get` and `kw.keys.revoke`. */
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
