import { randomBytes } from 'node:crypto';
import { createTokenHasher, generateKey, generateKeyId, nobleHasher } from '../../src/entries/keys.js';
import type { ApiKey } from '../../src/entries/storage.js';
import type { ServiceAccount, StorageAdapter } from '../../src/index.js';
import { buildApiKeyFor, buildServiceAccount } from '../../src/testing/fixtures.js';

/** Tokens that verify, broken ones, and where they live. */
export interface SeededWorld {
  readonly tokens: readonly string[];
  readonly malformed: readonly string[];
  readonly tenantId: string;
  readonly workspaceId: string;
}

/** Writes a batch of accounts and keys (a bulk insert for SQL, adapter calls for memory). */
export type InsertBatch = (accounts: readonly ServiceAccount[], keys: readonly ApiKey[]) => Promise<void>;

export const PREFIX = 'acme';
const KEYS_PER_ACCOUNT = 4;
const BATCH = 2_000;

/** Inserts through the adapter's own methods. */
export function adapterInsert(storage: StorageAdapter): InsertBatch {
  return async (accounts, keys) => {
    for (const account of accounts) await storage.insertServiceAccount({ account });
    for (const key of keys)
      await storage.insertKeyIfUnderLimit({ key, limit: KEYS_PER_ACCOUNT, now: new Date() });
  };
}

/**
 * Seeds `keysStored` keys (accounts of 4 keys each, one tenant/workspace). `sampleSize` of them,
 * spread evenly, are real tokens kept for the benchmark; the rest carry random digests. SHA-256
 * digests are the same whichever hasher made them, so one world serves every hasher.
 */
export async function seedWorld(options: {
  readonly keysStored: number;
  readonly sampleSize: number;
  readonly insert: InsertBatch;
  /** Fields every account and key gets (request controls, for `npm run bench -- controls`). */
  readonly fields?:
    | { readonly account?: Partial<ServiceAccount>; readonly key?: Partial<ApiKey> }
    | undefined;
}): Promise<SeededWorld> {
  const { keysStored, sampleSize, insert } = options;
  const accountFields = options.fields?.account ?? {};
  const keyFields = options.fields?.key ?? {};
  const tokenHasher = createTokenHasher({ hasher: nobleHasher });
  const tenantId = 't_bench';
  const workspaceId = 'w_bench';
  const createdBy = { type: 'user', id: 'u_bench' } as const;
  const tokens: string[] = [];
  const sampleEvery = Math.max(1, Math.floor(keysStored / sampleSize));
  let accounts: ServiceAccount[] = [];
  let keys: ApiKey[] = [];
  let account = buildServiceAccount({
    tenantId,
    workspaceId,
    roles: ['analyst'],
    createdBy,
    ...accountFields,
  });
  for (let i = 0; i < keysStored; i++) {
    if (i % KEYS_PER_ACCOUNT === 0) {
      account = buildServiceAccount({
        tenantId,
        workspaceId,
        roles: ['analyst'],
        createdBy,
        ...accountFields,
      });
      accounts.push(account);
    }
    let fields: Partial<ApiKey>;
    if (i % sampleEvery === 0 && tokens.length < sampleSize) {
      const minted = generateKey({ prefix: PREFIX, hasher: tokenHasher });
      tokens.push(minted.token);
      fields = {
        id: minted.keyId,
        hash: minted.hash,
        hashVersion: minted.hashVersion,
        pepperId: minted.pepperId,
        start: minted.start,
      };
    } else {
      fields = {
        id: generateKeyId(),
        hash: randomBytes(32).toString('hex'),
        hashVersion: 1,
        pepperId: null,
        start: `${PREFIX}_filler`,
      };
    }
    keys.push(
      buildApiKeyFor(account, { ...keyFields, ...fields, createdBy, expiresAt: null, status: 'active' }),
    );
    if (keys.length >= BATCH) {
      await insert(accounts, keys);
      accounts = [];
      keys = [];
    }
  }
  if (keys.length > 0) await insert(accounts, keys);
  return { tokens, malformed: tokens.map(malform), tenantId, workspaceId };
}

/** A realistic mix of broken tokens: typos (checksum), truncation, other prefix, junk. */
function malform(token: string, i: number): string {
  switch (i % 4) {
    case 0:
      return `${token.slice(0, 30)}${token[30] === 'a' ? 'b' : 'a'}${token.slice(31)}`;
    case 1:
      return token.slice(0, -3);
    case 2:
      return `sk_live_${token.slice(5)}`;
    default:
      return 'Bearer undefined';
  }
}
