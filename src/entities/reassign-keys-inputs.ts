import { z } from 'zod';
import { hostIdSchema, serviceAccountIdSchema } from './ids.js';

/** `kw.serviceAccounts.reassignKeys(actor, input)`: the new creator of every key of an account. */
export const reassignKeysInputSchema = z.strictObject({
  id: serviceAccountIdSchema,
  /** A person of the actor's tenant (`resolveActor` must know them). */
  to: z.strictObject({ type: z.literal('user'), id: hostIdSchema }),
  /** Fails with `CONFLICT` unless the account's version is still this one. */
  expectedVersion: z.number().int().min(1).optional(),
});

/** Input of `kw.serviceAccounts.reassignKeys`. */
export interface ReassignKeysInput {
  /** The service account whose keys move. */
  id: string;
  /** The new creator: a person of the actor's tenant, known to `resolveActor`. */
  to: { type: 'user'; id: string };
  /** Fails with `CONFLICT` unless the account's version is still this one (`If-Match`). */
  expectedVersion?: number | undefined;
}
