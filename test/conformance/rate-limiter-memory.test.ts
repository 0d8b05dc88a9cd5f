import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { memoryRateLimiter } from '../../src/request-controls/memory-rate-limiter.js';
import { runRateLimiterConformance } from '../../src/testing/index.js';

runRateLimiterConformance({
  name: 'memory',
  runner: { describe, it, beforeAll, afterAll, beforeEach },
  createLimiter: () => memoryRateLimiter(),
});

// Eviction must not change an answer while the buckets in use fit.
runRateLimiterConformance({
  name: 'memory (maxBuckets 16)',
  runner: { describe, it, beforeAll, afterAll, beforeEach },
  createLimiter: () => memoryRateLimiter({ maxBuckets: 16 }),
});
