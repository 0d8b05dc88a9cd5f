import { z } from 'zod';
import { keyEnvironmentSchema, scopeListSchema } from './api-key.js';
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

/** Input of {@link newKeySchema}. */
export type NewKeyInput = z.input<typeof newKeySchema>;

/** `kw.keys.issue(actor, input)`. */
export const issueKeyInputSchema = z.strictObject({
  serviceAccountId: serviceAccountIdSchema,
  key: newKeySchema,
});

/** Input of `kw.keys.issue`. */
export type IssueKeyInput = z.input<typeof issueKeyInputSchema>;

/** `kw.keys.regenerate(actor, input)`: same key id, new secret. */
export const regenerateKeyInputSchema = z.strictObject({
  keyId: keyIdSchema,
  /** How long the old secret keeps working; 0 (default) revokes it at once. Never past the key's expiry. */
  gracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_PERIOD_SECONDS).default(0),
});

/** Input of `kw.keys.regenerate`. */
export type RegenerateKeyInput = z.input<typeof regenerateKeyInputSchema>;

/** `kw.keys.get` / `kw.keys.revoke`. */
export const keyRefInputSchema = z.strictObject({ keyId: keyIdSchema });

/** Input of `kw.keys.get` and `kw.keys.revoke`. */
export type KeyRefInput = z.input<typeof keyRefInputSchema>;

/** `kw.keys.list(actor, input)`. */
export const listKeysInputSchema = z.strictObject({
  serviceAccountId: serviceAccountIdSchema,
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.keys.list`. */
export type ListKeysInput = z.input<typeof listKeysInputSchema>;
