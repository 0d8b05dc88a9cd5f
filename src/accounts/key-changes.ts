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
import type { KeyWithAccount, StorageTransaction } from '../storage/storage-adapter.js';
import { type ActingPrincipal, type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import type { IssuedKey } from './key-minting.js';
import { toKeyInfo } from './key-view.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';
import { assertGives, grantShapeOf } from './write-rules.js';

/** Loads a key of the actor's tenant or throws `NOT_FOUND`. @internal */
export async function loadKey(ctx: LifecycleContext, tenantId: string, keyId: string): Promise<ApiKey> {
  const key = await ctx.storage.findKey({ tenantId, keyId });
  if (key === null) throw keyNotFound(keyId);
  return key;
}

/**
 * Regenerates a key's secret: the key id stays, the old secret stops working at once or after
 * `gracePeriodSeconds` (never past the key's own expiry). Whoever regenerates receives the
 * secret, so they must hold at least the key's rights, and they are recorded as
 * `regeneratedBy` (the live creator boundary binds them too).
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
  const change = await managedKeyChange(ctx, actor, input.keyId, 'api_key.regenerate', meta);
  let token = '';
  const info = await change.write((key, account, now) => {
    const status = toKeyInfo(key, now).status;
    if (status !== 'active') {
      throw new KeywardError(ERROR_CODES.INVALID_STATE, `The key is ${status}`, {
        details: { keyId: key.id, status },
      });
    }
    assertGives(ctx, change.acting, null, grantShapeOf(account, key.scopes));
    const minted = generateKey({
      prefix: ctx.tokenPrefix,
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
      start: minted.start,
      regeneratedBy: change.acting.ref,
      updatedAt: new Date(now),
    };
  });
  return { key: info, token };
}

/**
 * Revokes a key at once (its previous secret too). Revoking a revoked key returns it unchanged
 * and writes no second audit event, however many revocations race.
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
  const change = await managedKeyChange(ctx, actor, input.keyId, 'api_key.revoke', meta);
  return change.write((key, _account, now) => {
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
      updatedAt: at,
    };
  });
}

/** A change to one key, authorized and ready to run in its transaction. */
interface ManagedKeyChange {
  readonly acting: ActingPrincipal;
  /**
   * Locks the key and its account, lets `apply` compute the new record from that read (the
   * same object: nothing to do), writes it with its audit event, and returns the key's view.
   */
  write(apply: (key: ApiKey, account: KeyWithAccount['account'], now: number) => ApiKey): Promise<ApiKeyInfo>;
}

/**
 * The preamble of every key change: load the key of the actor's tenant (`NOT_FOUND` otherwise)
 * and authorize `api_keys:manage` on its workspace, auditing a refusal. The workspace of a key
 * never changes, so authorizing on this unlocked read is sound; everything else is decided in
 * `write`, on the locked read.
 */
async function managedKeyChange(
  ctx: LifecycleContext,
  actor: Actor,
  keyId: string,
  action: AuditAction,
  meta: CallMeta | undefined,
): Promise<ManagedKeyChange> {
  const acting = actingPrincipal(ctx, actor);
  const request = requestOf(meta);
  const unlocked = await loadKey(ctx, acting.tenantId, keyId);
  const target = { type: 'api_key', id: unlocked.id } as const;
  await authorizeCall(ctx, acting, 'api_keys:manage', unlocked.workspaceId, { action, target }, request);
  return {
    acting,
    async write(apply) {
      const outcome = await ctx.storage.transaction(async (tx) => {
        const { key, account } = await lockKey(tx, acting.tenantId, keyId);
        const now = ctx.clock();
        const next = apply(key, account, now);
        if (next === key) return { info: toKeyInfo(key, now), written: false };
        const written = await tx.updateKey({ key: next });
        if (written === null) throw keyNotFound(keyId);
        const info = toKeyInfo(written, now);
        await tx.insertAuditEvent({
          event: buildAuditEvent({
            actor: acting.ref,
            action,
            tenantId: key.tenantId,
            workspaceId: key.workspaceId,
            target,
            before: toKeyInfo(key, now),
            after: info,
            request,
            at: new Date(now),
          }),
        });
        return { info, written: true };
      });
      if (outcome.written) ctx.changes.keyChanged(keyId);
      return outcome.info;
    },
  };
}

async function lockKey(tx: StorageTransaction, tenantId: string, keyId: string): Promise<KeyWithAccount> {
  const found = await tx.lockKey({ tenantId, keyId });
  if (found === null) throw keyNotFound(keyId);
  return found;
}

function keyNotFound(keyId: string): KeywardError {
  return new KeywardError(ERROR_CODES.NOT_FOUND, 'Key not found', { details: { keyId } });
}
