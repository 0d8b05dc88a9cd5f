import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { findPostgresBinaries } from './postgres-binaries.js';
import { startPostgresCluster } from './postgres-cluster.js';
import { provideRedisUrl } from './redis-url.js';

const SKIP_WARNING = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!! keyward: THE POSTGRESQL TESTS ARE SKIPPED',
  '!! DATABASE_URL is not set and no PostgreSQL server programs (initdb, pg_ctl) were',
  '!! found on PATH or in /usr/lib/postgresql/*/bin.',
  '!! Install PostgreSQL (apt-get install postgresql) or set DATABASE_URL to a server',
  '!! whose user may CREATE DATABASE. Everything else still runs.',
  '!! CI sets KEYWARD_REQUIRE_POSTGRES=1, which turns this skip into a failure.',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '',
].join('\n');

/**
 * Vitest global setup: gives the PostgreSQL tests a server (see below) and the Redis tests one
 * (see {@link provideRedisUrl}), and tears both down at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stopRedis = await provideRedisUrl(project);
  try {
    const stopPostgres = await providePostgres(project);
    return async () => {
      try {
        await stopPostgres();
      } finally {
        await stopRedis();
      }
    };
  } catch (error) {
    await stopRedis();
    throw error;
  }
}

/**
 * Gives the PostgreSQL tests a server. `DATABASE_URL` when set; else a throwaway cluster (temp
 * dir, free loopback port, unprivileged user) torn down at the end; else `null` with a loud
 * warning, unless `KEYWARD_REQUIRE_POSTGRES=1`, which makes it fatal.
 */
async function providePostgres(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('databaseUrl', given);
    return async () => {};
  }
  const binaries = await findPostgresBinaries();
  if (binaries === null) {
    if (process.env.KEYWARD_REQUIRE_POSTGRES === '1') {
      throw new Error('KEYWARD_REQUIRE_POSTGRES=1 but there is no DATABASE_URL and no initdb/pg_ctl');
    }
    console.warn(SKIP_WARNING);
    project.provide('databaseUrl', null);
    return async () => {};
  }
  const cluster = await startPostgresCluster(binaries);
  console.log(`keyward: throwaway PostgreSQL cluster ready in ${Math.round(cluster.startMs)} ms`);
  project.provide('databaseUrl', cluster.url);
  return () => cluster.stop();
}
