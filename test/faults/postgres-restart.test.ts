import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresCluster, startPostgresCluster } from '../setup/postgres-cluster.js';
import { FAST_POOL_SETTINGS, faultClusterPrograms } from './fixtures/postgres-fault-settings.js';
import { type KeywardHost, startKeywardHost } from './fixtures/postgres-host-process.js';

const programs = await faultClusterPrograms();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(programs !== null)(
  'PostgreSQL connections lost under a running host (terminated backends, pg_ctl stop -m immediate)',
  () => {
    let cluster: PostgresCluster;
    let host: KeywardHost;

    beforeAll(async () => {
      cluster = await startPostgresCluster(programs!, { durable: true });
      host = await startKeywardHost(cluster.url, {
        ...FAST_POOL_SETTINGS,
        application_name: 'keyward-fault-host',
      });
    });

    afterAll(async () => {
      await host?.close();
      await cluster?.stop();
    });

    it('connections terminated mid-transaction: the transaction fails typed, nothing is written, the host survives', async () => {
      const outcome = await host.call({ op: 'terminatedTransaction' });
      expect(outcome.value).toEqual({ failure: 'STORAGE_UNAVAILABLE', written: false });
      expect(host.exitReason()).toBeUndefined();
    });

    it('the host survives, fails typed while the server is down, and recovers once it is back', async () => {
      const { keyId, token } = (await host.call({ op: 'create' })).value as { keyId: string; token: string };
      // Warm pool: every connection has served verifications and sits idle when the server dies.
      const warm = await host.call({ op: 'verifyMany', token, count: 12 });
      expect(warm.value).toEqual(Array(12).fill({ ok: true }));

      await cluster.stopImmediately();
      await sleep(300); // the idle connections' 'error' events arrive
      expect(host.exitReason()).toBeUndefined();
      const verify = await host.call({ op: 'verify', token });
      expect(verify.value).toEqual({ ok: false, code: 'storage_unavailable' });
      const revoke = await host.call({ op: 'revoke', keyId });
      expect(revoke.error).toEqual({ keyward: true, code: 'STORAGE_UNAVAILABLE' });
      const create = await host.call({ op: 'create' });
      expect(create.error).toEqual({ keyward: true, code: 'STORAGE_UNAVAILABLE' });
      // Refused connections fail at once: no call waits for a timeout.
      expect(Math.max(verify.ms, revoke.ms, create.ms)).toBeLessThan(
        FAST_POOL_SETTINGS.connectionTimeoutMillis,
      );

      await cluster.restart();
      expect((await host.call({ op: 'verify', token })).value).toEqual({ ok: true });
      expect((await host.call({ op: 'create' })).error).toBeUndefined();
      expect((await host.call({ op: 'revoke', keyId })).value).toBe('revoked');
      expect((await host.call({ op: 'verify', token })).value).toEqual({ ok: false, code: 'key_revoked' });
      expect(host.exitReason()).toBeUndefined();
    });
  },
);
