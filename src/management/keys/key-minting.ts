import type { z } from 'zod';
import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import type { newKeySchema } from '../../entities/key-inputs.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import { generateKey } from '../../keys/index.js';
import type { LockedWrite } from '../locked-write.js';
import type { ManagementContext } from '../management-context.js';
import { creditsOf } from './key-credits-of.js';
import { resolveExpiry } from './key-expiry.js';
import { toKeyInfo } from './key-view.js';

/** A key as returned once, with its secret token. */
export interface IssuedKey {
  /** The key's public view. */
  readonly key: ApiKeyInfo;
  /** The full token. Shown exactly this once; keyward keeps only its digest. */
  readonly token: string;
}

/**
 * Mints a key for `account` and inserts it in the write's transaction, under the active-key
 * limit, with its audit event: its request controls as given (credits with their refill interval
 * starting now). Validation of scopes, rights and IP allowlists happens before.
 *
 * @internal
 */
export async function insertNewKey(
  ctx: ManagementContext,
  write: LockedWrite,
  args: {
    readonly account: ServiceAccount;
    readonly input: z.output<typeof newKeySchema>;
    readonly now: number;
    /** Most active keys the account may hold (default `maxKeysPerAccount`). */
    readonly limit?: number | undefined;
  },
): Promise<IssuedKey> {
  const { account, input, now } = args;
  const limit = args.limit ?? ctx.limits.maxKeysPerAccount;
  const expiresAt = resolveExpiry(ctx, now, input);
  const minted = generateKey({
    prefix: ctx.tokenPrefixes[input.environment],
    hasher: ctx.tokenHasher,
    secretLength: ctx.secretLength,
  });
  const at = new Date(now);
  const key: ApiKey = {
    id: minted.keyId,
    serviceAccountId: account.id,
    tenantId: account.tenantId,
    workspaceId: account.workspaceId,
    name: input.name,
    environment: input.environment,
    scopes: input.scopes ?? null,
    hash: minted.hash,
    hashVersion: minted.hashVersion,
    pepperId: minted.pepperId,
    previousHash: null,
    previousHashVersion: null,
    previousPepperId: null,
    previousHashExpiresAt: null,
    previousRegeneratedBy: null,
    start: minted.start,
    status: 'active',
    expiresAt,
    lastUsedAt: null,
    createdBy: write.actor,
    regeneratedBy: null,
    createdAt: at,
    updatedAt: at,
    revokedAt: null,
    metadata: {},
    disabledAt: null,
    expiryNoticeAt: null,
    ipAllowlist: input.ipAllowlist ?? null,
    rateLimits: input.rateLimits ?? [],
    credits: creditsOf(input.credits ?? null, at),
  };
  const result = await write.tx.insertKeyIfUnderLimit({ key, limit, now: at });
  if (!result.inserted) {
    throw new KeywardError(
      ERROR_CODES.KEY_LIMIT_REACHED,
      `Account already holds ${result.activeKeys} active keys (limit ${limit})`,
      { details: { activeKeys: result.activeKeys, limit } },
    );
  }
  // A new key id: other instances that remembered it as unknown must read it again.
  write.changed({ keyId: key.id });
  const info = toKeyInfo(key, now);
  await write.audit({
    action: 'api_key.issue',
    tenantId: account.tenantId,
    workspaceId: account.workspaceId,
    target: { type: 'api_key', id: key.id },
    after: info,
    at,
  });
  return { key: info, token: minted.token };
}
