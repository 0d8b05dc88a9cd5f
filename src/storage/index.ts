export type {
  InsertKeyResult,
  KeyWithAccount,
  PageAfter,
  StorageAdapter,
  StorageReads,
  StorageTransaction,
} from './storage-adapter.js';
