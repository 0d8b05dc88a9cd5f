import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresCluster, startPostgresCluster } from '../setup/postgres-cluster.js';
import { FAST_POOL_SETTINGS, faultClusterPrograms } from './fixtures/postgres-fault-settings.js';
import { type KeywardHost, startKeywardHost } from './fixtures/postgres-host-process.js';

const programs = await faultClusterPrograms();
/** What a call may take while the server is frozen: the longer of the pool's two timeouts, and slack. */
const FROZEN_CALL_LIMIT_MS =
  Math.max(FAST_POOL_SETTINGS.query_timeout, FAST_POOL_SETTINGS.connectionTimeoutMillis) + 700;

describe.runIf(programs !== null)('a frozen PostgreSQL server (every process SIGSTOPped)', () => {
  let cluster: PostgresCluster;
  let host: KeywardHost;

  beforeAll(async () => {
    cluster = await startPostgresCluster(programs!);
    host = await startKeywardHost(cluster.url, FAST_POOL_SETTINGS);
  });

  afterAll(async () => {
    await cluster?.thaw();
    await host?.close();
    await cluster?.stop();
  });

  it('calls fail typed within the pool timeouts, not the freeze, and the same host recovers on SIGCONT', async () => {
    const { keyId, token } = (await host.call({ op: 'create' })).value as { keyId: string; token: string };
    expect((await host.call({ op: 'verifyMany', token, count: 12 })).value).toEqual(
      Array(12).fill({ ok: true }),
    );

    await cluster.freeze();
    const frozenAt = performance.now();
    try {
      // On a warm connection: the query gets no answer until pg's query_timeout.
      const verify = await host.call({ op: 'verify', token });
      expect(verify.value).toEqual({ ok: false, code: 'storage_unavailable' });
      // More callers than connections: warm ones time out, new ones never finish their handshake.
      const burst = await host.call({ op: 'verifyMany', token, count: 8 });
      expect(burst.value).toEqual(Array(8).fill({ ok: false, code: 'storage_unavailable' }));
      const revoke = await host.call({ op: 'revoke', keyId });
      expect(revoke.error).toEqual({ keyward: true, code: 'STORAGE_UNAVAILABLE' });
      const create = await host.call({ op: 'create' });
      expect(create.error).toEqual({ keyward: true, code: 'STORAGE_UNAVAILABLE' });
      for (const call of [verify, revoke, create]) expect(call.ms).toBeLessThan(FROZEN_CALL_LIMIT_MS);
      // The burst waits at most one timeout for a connection and one for its query.
      expect(burst.ms).toBeLessThan(2 * FROZEN_CALL_LIMIT_MS);
      expect(performance.now() - frozenAt).toBeGreaterThan(3 * FAST_POOL_SETTINGS.query_timeout);
    } finally {
      await cluster.thaw();
    }

    await expect
      .poll(async () => (await host.call({ op: 'verify', token })).value, { timeout: 5_000 })
      .toEqual({ ok: true });
    expect((await host.call({ op: 'create' })).error).toBeUndefined();
    expect((await host.call({ op: 'revoke', keyId })).value).toBe('revoked');
    expect((await host.call({ op: 'verify', token })).value).toEqual({ ok: false, code: 'key_revoked' });
    expect(host.exitReason()).toBeUndefined();
  });
});
