import { memoryAdapter } from '../../adapters/memory/index.js';
import { runStorageConformance } from '../../src/testing/index.js';

runStorageConformance({ name: 'memory', createAdapter: () => memoryAdapter() });
