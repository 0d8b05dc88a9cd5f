import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisRateLimiter } from '../../adapters/redis/index.js';
import type { RateLimitCheck } from '../../src/request-controls/rate-limiter.js';
import { freeLoopbackPort } from '../setup/free-port.js';

const redisUrl = inject('redisUrl');
const T0 = 1_741_964_966_535;

function check(bucket: string, limit: number, cost = 1): RateLimitCheck {
  return { bucket, limit, windowMs: 60_000, cost };
}

// Skipped only without a Redis server, like the conformance run (see rate-limiter-redis.test.ts).
describe.runIf(redisUrl !== null)('redisRateLimiter', () => {
  const clients: Redis[] = [];
  const open = (): Redis => {
    const client = new Redis(redisUrl as string);
    clients.push(client);
    return client;
  };
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = open();
    second = open();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('never allows more than the limit to 50 takes racing over two connections', async () => {
    expect(await first.client('ID')).not.toBe(await second.client('ID'));
    const limiters = [redisRateLimiter({ client: first }), redisRateLimiter({ client: second })];
    const bucket = `race:${randomUUID()}`;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) => limiters[index % 2]?.take([check(bucket, 20)], T0)),
    );
    expect(outcomes.filter((outcome) => outcome?.allowed).length).toBe(20);
    expect((await limiters[0]?.take([check(bucket, 20)], T0))?.allowed).toBe(false);
  });

  it('keeps a bucket as a hash of text numbers under the prefix, expiring a window and a minute of clock skew after its take', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const limiter = redisRateLimiter({ client: first, keyPrefix });
    await limiter.take([check('a:b', 4, 1)], T0 + 0.5);
    expect(await first.hgetall(`${keyPrefix}a:b`)).toEqual({ tokens: '3', updatedAt: '1741964966535.5' });
    const ttl = await first.pttl(`${keyPrefix}a:b`);
    expect(ttl).toBeGreaterThan(110_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('writes nothing for a refused take, not even to the buckets that held enough', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const limiter = redisRateLimiter({ client: first, keyPrefix });
    const outcome = await limiter.take([check('enough', 5), check('never', 1, 2)], T0);
    expect(outcome).toMatchObject({ allowed: false, refusedBy: 1, retryAfterMs: 60_000 });
    expect(await first.keys(`${keyPrefix}*`)).toEqual([]);
  });

  it('loads its script again when the server has forgotten it (NOSCRIPT)', async () => {
    const limiter = redisRateLimiter({ client: first });
    const bucket = `noscript:${randomUUID()}`;
    expect((await limiter.take([check(bucket, 2)], T0)).allowed).toBe(true);
    await first.script('FLUSH');
    expect(await limiter.take([check(bucket, 2)], T0)).toMatchObject({
      allowed: true,
      states: [{ remaining: 0 }],
    });
  });

  it('rejects when Redis cannot be reached, so that keyward fails closed', async () => {
    const unreachable = new Redis({
      host: '127.0.0.1',
      port: await freeLoopbackPort(),
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const connectErrors: Error[] = [];
    unreachable.on('error', (error: Error) => connectErrors.push(error));
    try {
      const limiter = redisRateLimiter({ client: unreachable });
      await expect(limiter.take([check(`down:${randomUUID()}`, 1)], T0)).rejects.toThrow(/connection/i);
      expect(connectErrors[0]?.message).toMatch(/ECONNREFUSED/);
    } finally {
      unreachable.disconnect();
    }
  });

  it('refuses a client that is not an ioredis client when built', () => {
    expect(() => redisRateLimiter({ client: {} as Redis })).toThrow(TypeError);
    expect(redisRateLimiter({ client: first }).name).toBe('redis');
  });
});
