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

/**
 * A human the host authenticated, acting on one tenant (see {@link userActorSchema}). Arrays may
 * be readonly: an actor declared `as const` is accepted.
 *
 * @example
 * ```ts
 * const admin = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] } as const;
 * ```
 */
export interface UserActor {
  /** Discriminant: a human. */
  readonly type: 'user';
  /** The host's user id. */
  readonly id: string;
  /** The tenant the user acts on. */
  readonly tenantId: string;
  /** The user's live rights: grant patterns over the catalog (`*`, `datasets:*`, `*:read`...). */
  readonly permissions: readonly string[];
  /** When given, confines the user to these workspaces. */
  readonly workspaceIds?: readonly string[] | undefined;
}

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

/**
 * keyward itself, recorded as the actor of a change no tenant actor made. `secret_scanning`: a
 * leak report (`kw.keys.reportLeaks`) revoked or flagged a key. Only audit events carry it: it
 * never creates, owns or regenerates anything.
 */
export const systemActorRefSchema = z.strictObject({
  type: z.literal('system'),
  id: z.enum(['secret_scanning']),
});

/** keyward itself as an audit event's actor (see {@link systemActorRefSchema}). */
export type SystemActorRef = z.infer<typeof systemActorRefSchema>;

/** Who an audit event records: a person or a key ({@link actorRefSchema}), or keyward itself. */
export const auditActorSchema = z.discriminatedUnion('type', [actorRefSchema, systemActorRefSchema]);

/** Who an audit event records as having acted. */
export type AuditActor = z.infer<typeof auditActorSchema>;

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
