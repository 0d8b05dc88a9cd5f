import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { ActingPrincipal } from './actor.js';

/**
 * A key may not loosen the budgets that bound itself: refuses `OWN_REQUEST_CONTROLS` when the
 * acting key changes its own key's rate limits or credits (`target.keyId` is itself) or its own
 * account's rate limits (`target.serviceAccountId` is its account). `fields` are the controls the
 * call changes (only those whose value differs, or `credits` whenever given: setting them always
 * restarts the balance). Budgets a key gives other keys and accounts are theirs, and a person is
 * bound by none of this.
 *
 * @internal
 */
export function assertNotOwnRequestControls(
  acting: ActingPrincipal,
  target: { readonly keyId?: string | undefined; readonly serviceAccountId?: string | undefined },
  fields: readonly ('rateLimits' | 'credits')[],
): void {
  if (acting.ref.type !== 'key' || fields.length === 0) return;
  const ownKey = target.keyId !== undefined && target.keyId === acting.ref.id;
  const ownAccount =
    target.keyId === undefined &&
    target.serviceAccountId !== undefined &&
    target.serviceAccountId === acting.ref.serviceAccountId;
  if (!ownKey && !ownAccount) return;
  const whose = ownKey ? 'its own' : "its own account's";
  throw new KeywardError(
    ERROR_CODES.OWN_REQUEST_CONTROLS,
    `A key may not change ${whose} ${fields.join(' or ')}: ask a person or another key to change them`,
    { details: { fields } },
  );
}

/** True when two rate-limit lists (or any JSON values) differ. @internal */
export function differs(before: unknown, after: unknown): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}
