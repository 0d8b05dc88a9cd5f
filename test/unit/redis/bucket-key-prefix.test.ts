import { describe, expect, it } from 'vitest';
import { bucketKeyPrefix } from '../../../adapters/redis/redis-rate-limiter.js';

describe('bucketKeyPrefix', () => {
  it('keeps the prefix on a single server', () => {
    expect(bucketKeyPrefix('keyward:rl:', false)).toBe('keyward:rl:');
  });

  it('puts the prefix in braces on a Cluster, so that every bucket hashes to one slot', () => {
    expect(bucketKeyPrefix('keyward:rl:', true)).toBe('{keyward:rl:}');
    expect(bucketKeyPrefix('', false)).toBe('');
    // `{}` is no hash tag (Redis would hash the whole key): refused.
    expect(() => bucketKeyPrefix('', true)).toThrow(TypeError);
  });

  it('keeps a prefix that holds a hash tag already, and wraps one whose braces hold nothing', () => {
    expect(bucketKeyPrefix('app:{rl}:', true)).toBe('app:{rl}:');
    expect(bucketKeyPrefix('app:{}:', true)).toBe('{app:{}:}');
    expect(bucketKeyPrefix('app:{rl', true)).toBe('{app:{rl}');
  });
});
