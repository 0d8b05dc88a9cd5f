import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import {
  type KeyRefInput,
  keyRefInputSchema,
  type RegenerateKeyInput,
  regenerateKeyInputSchema,
} from '../../entities/key-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import { generateKey } from '../../keys/index.js';
import { assertKeyWithinActor } from '../acting-key-bounds.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { ManagementContext } from '../management-context.js';
import { assertGives, grantShapeOf } from '../write-rules.js';
import { changeKey, nextUpdatedAt } from './key-change.js';
import type { IssuedKey } from './key-minting.js';
import { toKeyInfo } from './key-view.js';

/**
 * Regenerates a key's secret: the key id stays, the old secret stops working at once or after
 * `gracePeriodSeconds` (never past the key's own expiry). Whoever regenerates receives the
 * secret, so they must hold at least the key's rights, and they are recorded as
 * `regeneratedBy` (the live creator boundary binds them too). Whoever held the secret a grace
 * period keeps is recorded as `previousRegeneratedBy`, and bounds that secret's uses. For the
 * same reason a key regenerating a key must not receive one usable from addresses its own IP
 * allowlists refuse.
 *
 * @internal
 */
export async function regenerateKey(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: RegenerateKeyInput,
  meta?: CallMeta,
): Promise<IssuedKey> {
  let token = '';
  const info = await changeKey(ctx, actor, rawInput, meta, {
    input: regenerateKeyInputSchema,
    inputName: 'key regeneration',
    action: 'api_key.regenerate',
    apply: (key, account, now, { input, acting }, actingKey) => {
      const status = toKeyInfo(key, now).status;
      if (status !== 'active') {
        throw new KeywardError(ERROR_CODES.INVALID_STATE, `The key is ${status}`, {
          details: { keyId: key.id, status },
        });
      }
      assertGives(ctx, acting, null, grantShapeOf(account, key.scopes));
      // The new secret goes to the actor: a key may only receive one it could not use beyond its own allowlists.
      assertKeyWithinActor(actingKey, key.ipAllowlist, account.ipAllowlist);
      // The key keeps its environment, and so its prefix.
      const minted = generateKey({
        prefix: ctx.tokenPrefixes[key.environment],
        hasher: ctx.tokenHasher,
        keyId: key.id,
        secretLength: ctx.secretLength,
      });
      token = minted.token;
      const graceEnd = Math.min(
        now + input.gracePeriodSeconds * 1000,
        key.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      const keepPrevious = input.gracePeriodSeconds > 0 && graceEnd > now;
      return {
        ...key,
        hash: minted.hash,
        hashVersion: minted.hashVersion,
        pepperId: minted.pepperId,
        previousHash: keepPrevious ? key.hash : null,
        previousHashVersion: keepPrevious ? key.hashVersion : null,
        previousPepperId: keepPrevious ? key.pepperId : null,
        previousHashExpiresAt: keepPrevious ? new Date(graceEnd) : null,
        // Who holds the secret kept alive: the live creator boundary binds its use to them.
        previousRegeneratedBy: keepPrevious ? (key.regeneratedBy ?? key.createdBy) : null,
        start: minted.start,
        regeneratedBy: acting.ref,
        updatedAt: nextUpdatedAt(key, now),
      };
    },
  });
  return { key: info, token };
}

/**
 * Revokes a key at once (its previous secret too). Revoking a revoked key returns it unchanged
 * and writes no second audit event, however many revocations race.
 *
 * @internal
 */
export function revokeKey(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: KeyRefInput,
  meta?: CallMeta,
): Promise<ApiKeyInfo> {
  return changeKey(ctx, actor, rawInput, meta, {
    input: keyRefInputSchema,
    inputName: 'key',
    action: 'api_key.revoke',
    apply: (key, _account, now) => revokedKey(key, now),
  });
}

/**
 * The record of `key` revoked at `now` (its previous secret dropped too), or `key` itself when it
 * is already revoked. The one definition of a revocation: `revoke` and leak reports use it.
 *
 * @internal
 */
export function revokedKey(key: ApiKey, now: number): ApiKey {
  if (key.status === 'revoked') return key;
  const at = new Date(now);
  return {
    ...key,
    status: 'revoked',
    revokedAt: at,
    previousHash: null,
    previousHashVersion: null,
    previousPepperId: null,
    previousHashExpiresAt: null,
    previousRegeneratedBy: null,
    updatedAt: nextUpdatedAt(key, now),
  };
}
