import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import { type KeyRefInput, keyRefInputSchema } from '../../entities/key-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { ManagementContext } from '../management-context.js';
import { assertGives, grantShapeOf } from '../write-rules.js';
import { changeKey, nextUpdatedAt } from './key-change.js';

/**
 * Disables (`disabled: true`) or enables a key that is not revoked: `disabledAt` is set or
 * cleared, and the key stops or starts verifying once the transaction commits. Setting the state
 * the key already has changes nothing and writes no audit event. Enabling gives the key's rights
 * back, so whoever enables must hold them (as for `regenerate`); disabling takes them away and
 * needs only `api_keys:manage`.
 *
 * @internal
 */
export function setKeyDisabled(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: KeyRefInput,
  disabled: boolean,
  meta?: CallMeta,
): Promise<ApiKeyInfo> {
  return changeKey(ctx, actor, rawInput, meta, {
    input: keyRefInputSchema,
    inputName: 'key',
    action: disabled ? 'api_key.disable' : 'api_key.enable',
    apply: (key, account, now, { acting }) => {
      if (key.status === 'revoked') {
        throw new KeywardError(
          ERROR_CODES.INVALID_STATE,
          `A revoked key cannot be ${disabled ? 'disabled' : 'enabled'}`,
          { details: { keyId: key.id, status: 'revoked' } },
        );
      }
      if ((key.disabledAt !== null) === disabled) return key;
      if (!disabled) assertGives(ctx, acting, null, grantShapeOf(account, key.scopes));
      return withDisabled(key, disabled, now);
    },
  });
}

/**
 * `key` disabled (or enabled) at `now`, with `updatedAt` moved on so every cached compiled copy
 * drops. The one transform of `keys.disable`, `keys.enable` and the sweep.
 *
 * @internal
 */
export function withDisabled(key: ApiKey, disabled: boolean, now: number): ApiKey {
  return { ...key, disabledAt: disabled ? new Date(now) : null, updatedAt: nextUpdatedAt(key, now) };
}
