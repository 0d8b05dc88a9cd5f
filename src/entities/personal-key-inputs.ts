import { z } from 'zod';
import { type KeyEnvironment, keyEnvironmentSchema, scopeListSchema } from './api-key.js';
import { hostIdSchema, keyIdSchema, workspaceIdSchema } from './ids.js';
import { newKeySchema } from './key-inputs.js';
import { cursorSchema, limitSchema } from './pagination.js';

/** `kw.personalKeys.issue(person, input)`: a person's own key in one workspace. */
export const issuePersonalKeyInputSchema = z
  .strictObject({
    workspaceId: workspaceIdSchema,
    name: newKeySchema.shape.name,
    environment: keyEnvironmentSchema.default('live'),
    scopes: scopeListSchema,
    /** Absolute expiry. Mutually exclusive with `expiresInSeconds`. */
    expiresAt: newKeySchema.shape.expiresAt,
    /** Relative expiry in seconds. Mutually exclusive with `expiresAt`. */
    expiresInSeconds: newKeySchema.shape.expiresInSeconds,
  })
  .refine((value) => value.expiresAt === undefined || value.expiresInSeconds === undefined, {
    message: 'Give expiresAt or expiresInSeconds, not both',
    path: ['expiresInSeconds'],
  });

/** Input of `kw.personalKeys.issue`; `S` is the grant patterns its `scopes` accept. */
export interface IssuePersonalKeyInput<S extends string = string> {
  /** The workspace the key is bound to (the person must reach it). */
  workspaceId: string;
  /** A display name (1-100 characters of plain text). */
  name: string;
  /** `live` (default) or `test`. */
  environment?: KeyEnvironment | undefined;
  /** What the key may do (1-100 grant patterns), each held by the person. */
  scopes: readonly S[];
  /** Absolute expiry: a Date or an ISO-8601 timestamp with offset. Not with `expiresInSeconds`. */
  expiresAt?: Date | string | undefined;
  /** Relative expiry in seconds. Not with `expiresAt`. */
  expiresInSeconds?: number | undefined;
}

/** `kw.personalKeys.list(person, input)`: the person's own keys in one workspace. */
export const listPersonalKeysInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema,
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.personalKeys.list`. */
export interface ListPersonalKeysInput {
  /** The workspace whose own keys to list. */
  workspaceId: string;
  /** Page size, 1-100 (default 50). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** `kw.personalKeys.listAll(admin, input)`: every person's own keys in one workspace, or one person's. */
export const listAllPersonalKeysInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema,
  userId: hostIdSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

/** Input of `kw.personalKeys.listAll`. */
export interface ListAllPersonalKeysInput {
  /** The workspace. */
  workspaceId: string;
  /** Only this person's keys. */
  userId?: string | undefined;
  /** Page size, 1-100 (default 50). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** `kw.personalKeys.revoke(actor, input)`. */
export const personalKeyRefInputSchema = z.strictObject({ keyId: keyIdSchema });

/** Input of `kw.personalKeys.revoke`. */
export interface PersonalKeyRefInput {
  /** The key id. */
  keyId: string;
}
