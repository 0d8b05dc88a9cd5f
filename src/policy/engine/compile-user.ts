import type { UserActor } from '../../entities/actor.js';
import type { CompiledUserPrincipal } from './compiled-principal.js';
import { expandPatterns, type PolicyModel } from './policy-model.js';
import { userProblem } from './principal-shape.js';
import type { UserState } from './principal-state.js';

/** Compiles a human actor. Never throws: a malformed actor yields a principal that always errors. @internal */
export function compileUser(model: PolicyModel, actor: UserActor): CompiledUserPrincipal {
  const state = compileUserState(model, actor);
  return Object.freeze({ type: 'user', id: state.id, tenantId: state.tenantId, actor, state });
}

/** The compiled rights of a human actor (also used for human creators of keys). @internal */
export function compileUserState(model: PolicyModel, actor: UserActor): UserState {
  const problem = userProblem(actor);
  if (problem !== null) {
    const permissions = new Uint8Array(model.names.length);
    return Object.freeze({ model, problem, id: '', tenantId: '', workspaces: null, permissions, notes: [] });
  }
  const { set, unknown } = expandPatterns(model.names, actor.permissions);
  return Object.freeze({
    model,
    problem: null,
    id: actor.id,
    tenantId: actor.tenantId,
    workspaces: actor.workspaceIds === undefined ? null : new Set(actor.workspaceIds),
    permissions: set,
    notes: Object.freeze(unknown.map((p) => `user permission '${p}' matches no permission of the catalog`)),
  });
}
