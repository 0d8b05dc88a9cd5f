import { memoryAdapter } from '../../../../adapters/memory/index.js';
import { createTokenHasher, generateKey } from '../../../../src/entries/keys.js';
import type { ApiKey } from '../../../../src/entries/storage.js';
import type { ActorRef } from '../../../../src/index.js';
import {
  createKeyward,
  type Keyward,
  type KeywardConfig,
  type ServiceAccount,
  type StorageAdapter,
  type UserActor,
} from '../../../../src/index.js';
import { buildApiKeyFor, buildServiceAccount } from '../../../../src/testing/fixtures.js';
import { TENANT } from '../../../support/keyward-fixture.js';

/** A memory adapter whose request-path reads are counted, and can be held back or made to fail. */
export interface ProbedStorage {
  readonly storage: StorageAdapter;
  /** `findKeyForVerification` calls so far. */
  reads(): number;
  /** Key ids read so far, in order. */
  readIds(): readonly string[];
  /**
   * Holds the next read: it reads the committed row at once (the old row, as a database would
   * have answered) but resolves only when `release` is called.
   */
  holdNext(): { release(): void };
  /** Makes reads of `keyId` throw, as an unreachable database would. */
  failReadsOf(keyId: string): void;
}

/** Wraps a fresh memory adapter (see {@link ProbedStorage}). */
export function probedStorage(): ProbedStorage {
  const inner = memoryAdapter();
  const ids: string[] = [];
  const failing = new Set<string>();
  let held: Promise<void> | null = null;
  const storage: StorageAdapter = Object.create(inner, {
    findKeyForVerification: {
      value: async (args: { keyId: string }) => {
        ids.push(args.keyId);
        if (failing.has(args.keyId)) throw new Error('connection refused');
        const result = inner.findKeyForVerification(args);
        const gate = held;
        held = null;
        if (gate !== null) await gate;
        return result;
      },
    },
  });
  return {
    storage,
    reads: () => ids.length,
    readIds: () => ids,
    holdNext() {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return { release: () => release() };
    },
    failReadsOf: (keyId) => failing.add(keyId),
  };
}

/** Users the host knows, by id: change or delete them to move their live rights. */
export class Users {
  readonly #users = new Map<string, UserActor>();
  calls = 0;

  set(id: string, permissions: string[]): UserActor {
    const user: UserActor = { type: 'user', id, tenantId: TENANT, permissions };
    this.#users.set(id, user);
    return user;
  }

  delete(id: string): void {
    this.#users.delete(id);
  }

  /** keyward's `resolveActor`. */
  readonly resolve = async (ref: { readonly id: string }): Promise<UserActor | null> => {
    this.calls++;
    return this.#users.get(ref.id) ?? null;
  };
}

/** A keyward over seeded records: accounts and keys written straight to storage, any chain shape. */
export interface SeededWorld {
  readonly kw: Keyward;
  readonly probe: ProbedStorage;
  readonly users: Users;
  readonly now: number;
  /** Seeds an active account in t_acme/w_sales (admin role unless overridden). */
  account(overrides?: Partial<ServiceAccount>): Promise<ServiceAccount>;
  /** Seeds an active key of `account` created by `createdBy`, returning its token. */
  key(account: ServiceAccount, createdBy: ActorRef, overrides?: Partial<ApiKey>): Promise<SeededKey>;
  /** Replaces a stored key's fields (revoke, regenerate...), bypassing the lifecycle. */
  updateKey(key: ApiKey, changes: Partial<ApiKey>): Promise<void>;
}

/** A seeded key and its token. */
export interface SeededKey {
  readonly key: ApiKey;
  readonly token: string;
  readonly ref: ActorRef;
}

const hasher = createTokenHasher();

/** Builds a {@link SeededWorld}; `config` overrides keyward's options (the live boundary is on by default). */
export function seededWorld(config: Partial<KeywardConfig> = {}): SeededWorld {
  const probe = probedStorage();
  const users = new Users();
  const now = Date.UTC(2026, 0, 1);
  const kw = createKeyward({
    storage: probe.storage,
    tokenPrefix: 'acme',
    clock: () => now,
    resolveActor: users.resolve,
    liveCreatorBoundary: true,
    // The tests of this world count the chain's storage reads: no cache in between.
    cache: false,
    ...config,
  });
  return {
    kw,
    probe,
    users,
    now,
    async account(overrides = {}) {
      const account = buildServiceAccount({
        tenantId: TENANT,
        workspaceId: 'w_sales',
        roles: ['admin'],
        ...overrides,
      });
      await probe.storage.insertServiceAccount({ account });
      return account;
    },
    async key(account, createdBy, overrides = {}) {
      const minted = generateKey({ prefix: 'acme', hasher });
      const key = buildApiKeyFor(account, {
        id: minted.keyId,
        hash: minted.hash,
        hashVersion: minted.hashVersion,
        pepperId: minted.pepperId,
        start: minted.start,
        createdBy,
        ...overrides,
      });
      const result = await probe.storage.insertKeyIfUnderLimit({ key, limit: 1000, now: new Date(now) });
      if (!result.inserted) throw new Error('key not inserted');
      return { key, token: minted.token, ref: { type: 'key', id: key.id, serviceAccountId: account.id } };
    },
    async updateKey(key, changes) {
      await probe.storage.transaction(async (tx) => {
        await tx.updateKey({ key: { ...key, ...changes, updatedAt: new Date(now + 1) } });
      });
    },
  };
}

/** A user reference. */
export function userRef(id: string): ActorRef {
  return { type: 'user', id };
}
