/**
 * `keyward/adapters/memory`: a `StorageAdapter` kept in process memory, with real
 * transactions. For tests, demos and single-process apps.
 *
 * @packageDocumentation
 * @module keyward/adapters/memory
 */
export { memoryAdapter } from './memory-adapter.js';
