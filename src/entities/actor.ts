import { z } from 'zod';
import {
  grantPatternSchema,
  hostIdSchema,
  keyIdSchema,
  serviceAccountIdSchema,
  tenantIdSchema,
  workspaceIdSchema,
} from './ids.js';

/**
 * A human the host authenticated, acting on one tenant. `permissions` are the user's live
 * rights (grant patterns over the catalog); `workspaceIds`, when given, confines the user to
 * those workspaces.
 *
 * @example
 * ```ts
 * const actor: UserActor = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] };
 * ```
 */
export const userActorSchema = z.strictObject({
  type: z.literal('user'),
  id: hostIdSchema,
  tenantId: tenantIdSchema,
  permissions: z.array(grantPatternSchema).max(500),
  workspaceIds: z.array(workspaceIdSchema).max(1000).optional(),
});

/** A human actor. */
export type UserActor = z.infer<typeof userActorSchema>;

/**
 * A stored reference to whoever performed a change or created an object. For keys, `id` is the
 * key id and `serviceAccountId` its account.
 */
export const actorRefSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user'), id: hostIdSchema }),
  z.strictObject({ type: z.literal('key'), id: keyIdSchema, serviceAccountId: serviceAccountIdSchema }),
]);

/** A stored reference to an actor. */
export type ActorRef = z.infer<typeof actorRefSchema>;
