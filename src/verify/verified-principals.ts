import type { KeyPrincipal } from '../policy/index.js';
import type { VerifiedPrincipal } from './verified-principal.js';

/**
 * The private side of the principals `verify` hands out: each {@link VerifiedPrincipal} maps to
 * the compiled key it was verified with. One per keyward instance; the map is weak, so a
 * principal the host dropped costs nothing. Only objects this instance made are found: a
 * look-alike object is not a principal.
 *
 * @internal
 */
export class VerifiedPrincipals {
  readonly #compiled = new WeakMap<VerifiedPrincipal, KeyPrincipal>();

  /** Records that `principal` was verified with the rights of `compiled`. */
  remember(principal: VerifiedPrincipal, compiled: KeyPrincipal): void {
    this.#compiled.set(principal, compiled);
  }

  /** The compiled key `value` was verified with, or undefined when this instance did not make it. */
  compiledOf(value: unknown): KeyPrincipal | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    return this.#compiled.get(value as VerifiedPrincipal);
  }
}
