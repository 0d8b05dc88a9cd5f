import { buildAuditEvent } from '../audit/audit-event-builder.js';
import type { ApiKey, ApiKeyInfo } from '../entities/api-key.js';
import type { AuditAction } from '../entities/audit-event.js';
import {
  type KeyRefInput,
  keyRefInputSchema,
  type RegenerateKeyInput,
  regenerateKeyInputSchema,
} from '../entities/key-inputs.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import { generateKey } from '../keys/index.js';
import { loadAccount } from './account-mutation.js';
import { type ActingPrincipal, type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import type { IssuedKey } from './key-minting.js';
import { toKeyInfo } from './key-view.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';
import { assertWithinActor } from './write-rules.js';

/** Loads a key of the actor's tenant or throws `NOT_FOUND`. @internal */
export async function loadKey(ctx: LifecycleContext, tenantId: string, keyId: string): Promise<ApiKey> {
  const key = await ctx.storage.findKey({ tenantId, keyId });
  if (key === null) throw new KeywardError(ERROR_CODES.NOT_FOUND, 'Key not found', { details: { keyId } });
  return key;
}

/**
 * Regenerates a key's secret: the key id stays, the old secret stops working at once or after
 * `gracePeriodSeconds` (never past the key's own expiry). Whoever regenerates receives the
 * secret, so they must hold at least the key's rights.
 *
 * @internal
 */
export async function regenerateKey(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: RegenerateKeyInput,
  meta?: CallMeta,
): Promise<IssuedKey> {
  const input = parseInput(regenerateKeyInputSchema, rawInput, 'key regeneration');
  const acting = actingPrincipal(ctx.policy, actor);
  const request = requestOf(meta);
  const key = await loadManagedKey(ctx, acting, input.keyId, 'api_key.regenerate', request);
  const now = ctx.clock();
  const status = toKeyInfo(key, now).status;
  if (status !== 'active') {
    throw new KeywardError(ERROR_CODES.INVALID_STATE, `The key is ${status}`, {
      details: { keyId: key.id, status },
    });
  }
  const account = await loadAccount(ctx, acting.tenantId, key.serviceAccountId);
  assertWithinActor(ctx, acting, { roles: account.roles, scopes: key.scopes });
  const minted = generateKey({
    prefix: ctx.tokenPrefix,
    hasher: ctx.tokenHasher,
    keyId: key.id,
    secretLength: ctx.secretLength,
  });
  const graceEnd = Math.min(
    now + input.gracePeriodSeconds * 1000,
    key.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
  );
  const keepPrevious = input.gracePeriodSeconds > 0 && graceEnd > now;
  const next: ApiKey = {
    ...key,
    hash: minted.hash,
    hashVersion: minted.hashVersion,
    pepperId: minted.pepperId,
    previousHash: keepPrevious ? key.hash : null,
    previousHashVersion: keepPrevious ? key.hashVersion : null,
    previousPepperId: keepPrevious ? key.pepperId : null,
    previousHashExpiresAt: keepPrevious ? new Date(graceEnd) : null,
    start: minted.start,
    updatedAt: new Date(now),
  };
  const info = await writeKeyChange(ctx, acting, key, next, 'api_key.regenerate', request, now);
  return { key: info, token: minted.token };
}

/**
 * Revokes a key at once (its previous secret too). Revoking a revoked key returns it unchanged.
 *
 * @internal
 */
export async function revokeKey(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: KeyRefInput,
  meta?: CallMeta,
): Promise<ApiKeyInfo> {
  const input = parseInput(keyRefInputSchema, rawInput, 'key');
  const acting = actingPrincipal(ctx.policy, actor);
  const request = requestOf(meta);
  const key = await loadManagedKey(ctx, acting, input.keyId, 'api_key.revoke', request);
  const now = ctx.clock();
  if (key.status === 'revoked') return toKeyInfo(key, now);
  const at = new Date(now);
  const next: ApiKey = {
    ...key,
    status: 'revoked',
    revokedAt: at,
    previousHash: null,
    previousHashVersion: null,
    previousPepperId: null,
    previousHashExpiresAt: null,
    updatedAt: at,
  };
  return writeKeyChange(ctx, acting, key, next, 'api_key.revoke', request, now);
}

/** Loads a key of the actor's tenant and authorizes `api_keys:manage` on it (refusals audited). */
async function loadManagedKey(
  ctx: LifecycleContext,
  acting: ActingPrincipal,
  keyId: string,
  action: AuditAction,
  request: ReturnType<typeof requestOf>,
): Promise<ApiKey> {
  const key = await loadKey(ctx, acting.tenantId, keyId);
  await authorizeCall(
    ctx,
    acting,
    'api_keys:manage',
    key.workspaceId,
    { action, target: { type: 'api_key', id: key.id } },
    request,
  );
  return key;
}

async function writeKeyChange(
  ctx: LifecycleContext,
  acting: ActingPrincipal,
  before: ApiKey,
  next: ApiKey,
  action: AuditAction,
  request: ReturnType<typeof requestOf>,
  now: number,
): Promise<ApiKeyInfo> {
  const info = toKeyInfo(next, now);
  await ctx.storage.transaction(async (tx) => {
    const written = await tx.updateKey({ key: next });
    if (written === null)
      throw new KeywardError(ERROR_CODES.NOT_FOUND, 'Key not found', { details: { keyId: next.id } });
    await tx.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action,
        tenantId: next.tenantId,
        workspaceId: next.workspaceId,
        target: { type: 'api_key', id: next.id },
        before: toKeyInfo(before, now),
        after: info,
        request,
        at: new Date(now),
      }),
    });
  });
  ctx.changes.keyChanged(next.id);
  return info;
}
