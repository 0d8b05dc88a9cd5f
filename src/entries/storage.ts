/**
 * `keyward/storage`: the storage contract in full, for adapter authors. A host only names
 * `StorageAdapter` (from `keyward`); an adapter implements the reads and writes below, runs
 * them inside `transaction`, and proves itself with `runStorageConformance` from
 * `keyward/testing`.
 *
 * @example
 * ```ts
 * import type { StorageAdapter } from 'keyward';
 * import type { StorageTransaction } from 'keyward/storage';
 *
 * const storage: StorageAdapter = myAdapter();
 * await storage.transaction(async (tx: StorageTransaction) => tx.lockKey({ tenantId, keyId }));
 * ```
 *
 * @packageDocumentation
 * @module keyward/storage
 */
export type { ApiKey } from '../entities/api-key.js';
export type { KeyCredits } from '../entities/request-controls.js';
export type { AccountKind } from '../entities/service-account.js';
export type {
  AuditPosition,
  FollowedAuditEvent,
  InsertKeyResult,
  KeyQuery,
  KeyWithAccount,
  PageAfter,
  SpendCreditsResult,
  StorageReads,
  StorageTransaction,
} from '../storage/storage-adapter.js';
