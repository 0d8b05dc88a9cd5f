import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { memoryAdapter } from '../../adapters/memory/index.js';
import { runStorageConformance } from '../../src/testing/index.js';

runStorageConformance({
  name: 'memory',
  runner: { describe, it, beforeAll, afterAll, beforeEach },
  createAdapter: () => memoryAdapter(),
});
