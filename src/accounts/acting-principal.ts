import { type ActorRef, type UserActor, userActorSchema } from '../entities/actor.js';
import { parseInput } from '../errors/parse-input.js';
import type { KeyPrincipal, Policy, UserPrincipal } from '../policy/index.js';

/**
 * Who performs a management call: a human the host authenticated, or a verified key's
 * principal (which may act only within its own rights).
 */
export type Actor = UserActor | KeyPrincipal;

/** An actor compiled for the policy, with its tenant and stored reference. @internal */
export interface ActingPrincipal {
  readonly principal: UserPrincipal | KeyPrincipal;
  readonly tenantId: string;
  readonly ref: ActorRef;
}

/** Validates and compiles an actor. Users are recompiled on every call: their rights are live. @internal */
export function actingPrincipal(policy: Policy, actor: Actor): ActingPrincipal {
  if (typeof actor === 'object' && actor !== null && actor.type === 'key' && policy.isKeyPrincipal(actor)) {
    return {
      principal: actor,
      tenantId: actor.tenantId,
      ref: { type: 'key', id: actor.keyId, serviceAccountId: actor.serviceAccountId },
    };
  }
  const user = parseInput(userActorSchema, actor, 'actor');
  return { principal: policy.compileUser(user), tenantId: user.tenantId, ref: { type: 'user', id: user.id } };
}
