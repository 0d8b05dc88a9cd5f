import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from '../../../src/request-controls/memory-rate-limiter.js';
import { type RateLimiterConformanceOptions, runRateLimiterConformance } from '../../../src/testing/index.js';

describe('runRateLimiterConformance runner option', () => {
  it('refuses a partial runner at once with a TypeError naming the suite and what is missing', () => {
    const options = { name: 'memory', createLimiter: () => memoryRateLimiter(), runner: { describe, it } };
    expect(() => runRateLimiterConformance(options as unknown as RateLimiterConformanceOptions)).toThrow(
      /^runRateLimiterConformance needs runner\.beforeAll, runner\.afterAll, runner\.beforeEach:/,
    );
  });
});
