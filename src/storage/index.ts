export type {
  AuditPosition,
  FollowedAuditEvent,
  InsertKeyResult,
  KeyWithAccount,
  PageAfter,
  StorageAdapter,
  StorageReads,
  StorageTransaction,
} from './storage-adapter.js';
