import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { findRedisServer, startRedisServer } from './redis-server.js';

const SKIP_WARNING = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!! keyward: THE REDIS TESTS ARE SKIPPED',
  '!! REDIS_URL is not set and no redis-server program was found on PATH.',
  '!! Install Redis (apt-get install redis-server) or set REDIS_URL to a server the tests',
  '!! may write keys to. Everything else still runs.',
  '!! CI sets KEYWARD_REQUIRE_REDIS=1, which turns this skip into a failure.',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '',
].join('\n');

/**
 * Gives the Redis tests a server (`redisUrl`): `REDIS_URL` when set; else a throwaway
 * `redis-server` (temp dir, free loopback port, no persistence); else `null` with a loud
 * warning, unless `KEYWARD_REQUIRE_REDIS=1`, which makes it fatal. Returns the teardown.
 */
export async function provideRedisUrl(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '') {
    project.provide('redisUrl', given);
    return async () => {};
  }
  const program = await findRedisServer();
  if (program === null) {
    if (process.env.KEYWARD_REQUIRE_REDIS === '1') {
      throw new Error('KEYWARD_REQUIRE_REDIS=1 but there is no REDIS_URL and no redis-server');
    }
    console.warn(SKIP_WARNING);
    project.provide('redisUrl', null);
    return async () => {};
  }
  const server = await startRedisServer(program);
  console.log(`keyward: throwaway Redis server ready in ${Math.round(server.startMs)} ms`);
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
