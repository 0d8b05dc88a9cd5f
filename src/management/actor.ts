import { type ActorRef, type UserActor, userActorSchema } from '../entities/actor.js';
import { parseInput } from '../errors/parse-input.js';
import type { KeyPrincipal, Policy, UserPrincipal } from '../policy/index.js';
import type { VerifiedPrincipal } from '../verify/verified-principal.js';
import type { VerifiedPrincipals } from '../verify/verified-principals.js';

/**
 * Who performs a management call: a human the host authenticated, or a key: the principal
 * `kw.verify` returned (which acts within the key's rights as verified), or a key compiled by
 * `kw.policy.compileKey`.
 */
export type Actor = UserActor | VerifiedPrincipal | KeyPrincipal;

/** An actor compiled for the policy, with its tenant and stored reference. @internal */
export interface ActingPrincipal {
  readonly principal: UserPrincipal | KeyPrincipal;
  readonly tenantId: string;
  readonly ref: ActorRef;
}

/** What compiling an actor needs: the policy, and the principals `verify` handed out. @internal */
export interface ActorContext {
  readonly policy: Policy;
  readonly verifiedPrincipals: VerifiedPrincipals;
}

/**
 * Validates and compiles an actor. Users are recompiled on every call: their rights are live. A
 * verified principal acts with the compiled key it was verified with; a look-alike object is
 * refused as `INVALID_INPUT` like any malformed actor.
 *
 * @internal
 */
export function actingPrincipal(ctx: ActorContext, actor: Actor): ActingPrincipal {
  const { policy } = ctx;
  if (typeof actor === 'object' && actor !== null && actor.type === 'key') {
    const key = ctx.verifiedPrincipals.compiledOf(actor);
    if (key !== undefined) return actingKey(key);
    if (policy.isKeyPrincipal(actor)) return actingKey(actor);
  }
  const user = parseInput(userActorSchema, actor, 'actor');
  return { principal: policy.compileUser(user), tenantId: user.tenantId, ref: { type: 'user', id: user.id } };
}

function actingKey(key: KeyPrincipal): ActingPrincipal {
  return {
    principal: key,
    tenantId: key.tenantId,
    ref: { type: 'key', id: key.keyId, serviceAccountId: key.serviceAccountId },
  };
}
