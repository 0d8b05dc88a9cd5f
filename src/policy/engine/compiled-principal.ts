import type { KeyPrincipal, Principal, UserPrincipal } from '../principal.js';
import type { PolicyModel } from './policy-model.js';
import type { KeyState, UserState } from './principal-state.js';

/**
 * A key principal as the engine builds it: the public fields and, on the same object, the
 * compiled state (see `keyPrincipalObject`). The public {@link KeyPrincipal} does not name the
 * state, so the concepts never depend on the engine; the engine reads it through this type.
 *
 * @internal
 */
export interface CompiledKeyPrincipal extends KeyPrincipal {
  /** The compiled form (the principal itself). */
  readonly state: KeyState;
}

/** A user principal as the engine builds it, with its compiled state. @internal */
export interface CompiledUserPrincipal extends UserPrincipal {
  /** The compiled form. */
  readonly state: UserState;
}

/** A principal as the engine builds it. @internal */
export type CompiledPrincipal = CompiledKeyPrincipal | CompiledUserPrincipal;

/** True when `value` is a principal of `type` compiled against `model`. @internal */
export function compiledBy(model: PolicyModel, value: unknown, type: Principal['type']): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const principal = value as Partial<CompiledPrincipal>;
  return principal.type === type && principal.state?.model === model;
}
