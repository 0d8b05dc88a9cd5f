import type { z } from 'zod';
import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import { type UpdateKeyInput, updateKeyInputSchema } from '../../entities/key-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import { parsePattern, patternCovers } from '../../policy/grant-pattern.js';
import { assertKeyWithinActor } from '../acting-key-bounds.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { assertIpAllowlistLimits } from '../ip-allowlist-limits.js';
import type { ManagementContext } from '../management-context.js';
import { assertNotOwnRequestControls, differs } from '../own-request-controls.js';
import { assertGives, assertValidScopes, grantShapeOf } from '../write-rules.js';
import { changeKey, nextUpdatedAt } from './key-change.js';
import { creditsOf } from './key-credits-of.js';
import { resolveExpiry } from './key-expiry.js';

/** The parsed input of `kw.keys.update`. */
type KeyUpdate = z.output<typeof updateKeyInputSchema>;

/**
 * Updates a key that is not revoked: renames it, adds or shortens its expiry, narrows its scopes
 * or replaces its metadata. Nothing may give the key more than it has: an expiry is never
 * lengthened, and new scopes may hold no permission the current ones do not (whoever sets them
 * must also hold every right the key keeps). A disabled or expired key may be updated; an update
 * that changes nothing writes nothing and no audit event.
 *
 * Request controls: a new IP allowlist replaces the key's (checked against the host's limits and,
 * when a key acts, against the acting key's own allowlists); new rate limits replace the key's;
 * given credits replace the balance and refill (`setKeyCredits`, in the same transaction, the
 * refill interval starting now), and always count as a change, so `updatedAt` moves and every
 * cache drops the key. A key may not change its own rate limits or credits.
 *
 * @internal
 */
export function updateKey(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: UpdateKeyInput,
  meta?: CallMeta,
): Promise<ApiKeyInfo> {
  return changeKey(ctx, actor, rawInput, meta, {
    input: updateKeyInputSchema,
    inputName: 'key update',
    checkInput: (input) => {
      assertValidScopes(ctx, input.scopes, ['scopes']);
      assertIpAllowlistLimits(ctx, input.ipAllowlist, ['ipAllowlist']);
    },
    action: 'api_key.update',
    apply: (key, account, now, { input, acting }, actingKey) => {
      if (key.status === 'revoked') {
        throw new KeywardError(ERROR_CODES.INVALID_STATE, 'A revoked key cannot be updated', {
          details: { keyId: key.id, status: 'revoked' },
        });
      }
      const expected = input.expectedUpdatedAt;
      if (expected !== undefined && expected.getTime() !== key.updatedAt.getTime()) {
        throw new KeywardError(
          ERROR_CODES.CONFLICT,
          `The key's updatedAt is ${key.updatedAt.toISOString()}, not the expected ${expected.toISOString()}: read it again`,
          { details: {} },
        );
      }
      if (input.scopes !== undefined) {
        assertNarrows(ctx, key.scopes, input.scopes);
        assertGives(ctx, acting, null, grantShapeOf(account, input.scopes));
      }
      assertNotOwnRequestControls(acting, { keyId: key.id }, [
        ...(input.rateLimits !== undefined && differs(key.rateLimits, input.rateLimits)
          ? (['rateLimits'] as const)
          : []),
        ...(input.credits !== undefined ? (['credits'] as const) : []),
      ]);
      if (input.ipAllowlist !== undefined) {
        assertKeyWithinActor(actingKey, input.ipAllowlist, account.ipAllowlist);
      }
      const next: ApiKey = {
        ...key,
        name: input.name ?? key.name,
        expiresAt: updatedExpiry(ctx, key, now, input),
        scopes: input.scopes ?? key.scopes,
        metadata: input.metadata ?? key.metadata,
        ipAllowlist: input.ipAllowlist === undefined ? key.ipAllowlist : input.ipAllowlist,
        rateLimits: input.rateLimits ?? key.rateLimits,
      };
      if (sameFields(key, next) && input.credits === undefined) return key;
      return { ...next, updatedAt: nextUpdatedAt(key, now) };
    },
    alsoWrite: async (tx, written, now, { input }) => {
      if (input.credits === undefined) return written;
      const credits = creditsOf(input.credits, new Date(now));
      return tx.setKeyCredits({ tenantId: written.tenantId, keyId: written.id, credits });
    },
  });
}

/**
 * Refuses scopes that hold a permission the key's current scopes do not (any scope narrows a key
 * without scopes). Compared on the permissions the patterns name, not on what the account grants
 * today: a key narrowed under a read-only or smaller account must stay narrow once the account
 * gains rights.
 */
function assertNarrows(ctx: ManagementContext, current: readonly string[] | null, next: readonly string[]) {
  if (current === null) return;
  const held = new Set<string>(ctx.policy.expand(current));
  const widening = ctx.policy
    .expand(next)
    .filter((permission) => !held.has(permission))
    .sort();
  if (widening.length === 0) {
    assertWildcardsCovered(current, next);
    return;
  }
  throw new KeywardError(ERROR_CODES.INVALID_INPUT, `Scopes can only narrow a key: ${widening.join(', ')}`, {
    issues: widening.map((permission) => ({
      code: 'custom',
      path: ['scopes'],
      message: `Not in the key's current scopes: ${permission}`,
    })),
  });
}

/**
 * A wildcard scope must stay under a wildcard: `datasets:*` in place of today's three `datasets:`
 * verbs covers the same permissions now, but would reach a verb the catalog gains later.
 */
function assertWildcardsCovered(current: readonly string[], next: readonly string[]): void {
  const outer = current.map(parsePattern).filter((pattern) => pattern !== null);
  const uncovered = next.filter((pattern) => {
    const parsed = parsePattern(pattern);
    if (parsed === null || (parsed.resource !== null && parsed.verb !== null)) return false;
    return !outer.some((scope) => patternCovers(scope, parsed));
  });
  if (uncovered.length === 0) return;
  throw new KeywardError(ERROR_CODES.INVALID_INPUT, `Scopes can only narrow a key: ${uncovered.join(', ')}`, {
    issues: uncovered.map((pattern) => ({
      code: 'custom',
      path: ['scopes'],
      message: `Not covered by a wildcard of the key's current scopes: ${pattern} (it would reach permissions added to the catalog later)`,
    })),
  });
}

/** The key's expiry after the update: added or moved earlier, within `minKeyTtl` / `maxKeyTtl`. */
function updatedExpiry(ctx: ManagementContext, key: ApiKey, now: number, input: KeyUpdate): Date | null {
  if (input.expiresAt === undefined && input.expiresInSeconds === undefined) return key.expiresAt;
  const next = resolveExpiry(ctx, now, input);
  if (next === null || key.expiresAt === null || next.getTime() <= key.expiresAt.getTime()) return next;
  throw new KeywardError(
    ERROR_CODES.INVALID_EXPIRY,
    `An expiry can only be added or moved earlier, never past the current ${key.expiresAt.toISOString()}`,
    { details: {} },
  );
}

/** True when the update leaves every field it may change as it was. */
function sameFields(before: ApiKey, after: ApiKey): boolean {
  return (
    before.name === after.name &&
    before.expiresAt?.getTime() === after.expiresAt?.getTime() &&
    JSON.stringify(before.scopes) === JSON.stringify(after.scopes) &&
    JSON.stringify(before.metadata) === JSON.stringify(after.metadata) &&
    JSON.stringify(before.ipAllowlist) === JSON.stringify(after.ipAllowlist) &&
    JSON.stringify(before.rateLimits) === JSON.stringify(after.rateLimits)
  );
}
