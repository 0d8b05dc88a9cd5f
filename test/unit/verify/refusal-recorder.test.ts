import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../../adapters/kysely/index.js';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { AuditEvent } from '../../../src/entities/audit-event.js';
import { auditEventSchema } from '../../../src/entities/audit-event.js';
import { newAuditEventId } from '../../../src/entities/id-generator.js';
import { KeywardError } from '../../../src/errors/keyward-error.js';
import type { StorageAdapter } from '../../../src/storage/storage-adapter.js';
import { testKeyId, testServiceAccountId, testTenantId } from '../../../src/testing/fixture-ids.js';
import {
  MAX_TRACKED_REFUSALS,
  REFUSAL_BATCH,
  RefusalRecorder,
  type RefusedKey,
} from '../../../src/verify/refusal-recorder.js';
import { openSqlite } from '../../setup/sql-databases.js';

const T0 = Date.UTC(2026, 2, 1, 12);
const INTERVAL = 60_000;

function refusedKey(tenantId = testTenantId()): RefusedKey {
  return { id: testKeyId(), serviceAccountId: testServiceAccountId(), tenantId, workspaceId: 'ws-main' };
}

/** A memory adapter whose next `failures` transactions throw before writing anything. */
function failingStorage(failures: number): StorageAdapter & { attempts: () => number } {
  const storage = memoryAdapter();
  let left = failures;
  let attempts = 0;
  return {
    ...storage,
    transaction: (fn) => {
      attempts++;
      if (left-- > 0) return Promise.reject(new KeywardError('STORAGE_UNAVAILABLE', 'down for the test'));
      return storage.transaction(fn);
    },
    attempts: () => attempts,
  };
}

interface Harness {
  readonly recorder: RefusalRecorder;
  readonly errors: unknown[];
  now: number;
}

function harness(storage: StorageAdapter): Harness {
  const errors: unknown[] = [];
  const state = { now: T0 } as Harness;
  const recorder = new RefusalRecorder({
    storage,
    intervalMs: INTERVAL,
    clock: () => state.now,
    onError: (error) => errors.push(error),
    newEventId: () => newAuditEventId(state.now),
  });
  return Object.assign(state, { recorder, errors });
}

async function refusals(storage: StorageAdapter, tenantId: string): Promise<AuditEvent[]> {
  return storage.listAuditEvents({ tenantId, action: 'api_key.refused', limit: 2 * MAX_TRACKED_REFUSALS });
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('RefusalRecorder counts', () => {
  it('writes one event per key and reason, with the exact count, first and last time', async () => {
    const storage = memoryAdapter();
    const h = harness(storage);
    const key = refusedKey();
    const other = refusedKey(key.tenantId);
    h.recorder.record(key, 'read_only', T0 + 5);
    h.recorder.record(key, 'read_only', T0 + 1);
    h.recorder.record(key, 'read_only', T0 + 9);
    h.recorder.record(key, 'key_revoked', T0 + 3);
    h.recorder.record(other, 'read_only', T0 + 4);
    expect(h.recorder.size).toBe(3);
    h.now = T0 + 30_000;
    await h.recorder.flush();
    expect(h.recorder.size).toBe(0);
    const events = await refusals(storage, key.tenantId);
    expect(events).toHaveLength(3);
    const find = (keyId: string, reason: string) =>
      events.find((event) => event.target.id === keyId && event.reason === reason);
    expect(find(key.id, 'read_only')).toEqual({
      id: expect.stringMatching(/^ev_/),
      tenantId: key.tenantId,
      workspaceId: 'ws-main',
      actor: { type: 'key', id: key.id, serviceAccountId: key.serviceAccountId },
      action: 'api_key.refused',
      target: { type: 'api_key', id: key.id },
      outcome: 'denied',
      reason: 'read_only',
      before: null,
      after: { count: 3, firstAt: iso(T0 + 1), lastAt: iso(T0 + 9) },
      request: {},
      createdAt: new Date(T0 + 30_000),
    });
    expect(find(key.id, 'key_revoked')?.after).toEqual({
      count: 1,
      firstAt: iso(T0 + 3),
      lastAt: iso(T0 + 3),
    });
    expect(find(other.id, 'read_only')?.after).toEqual({
      count: 1,
      firstAt: iso(T0 + 4),
      lastAt: iso(T0 + 4),
    });
    for (const event of events) expect(auditEventSchema.safeParse(event).success).toBe(true);
    expect(h.errors).toEqual([]);
  });

  it('starts a new count after a write: nothing is written twice', async () => {
    const storage = memoryAdapter();
    const h = harness(storage);
    const key = refusedKey();
    h.recorder.record(key, 'read_only', T0);
    await h.recorder.flush();
    await h.recorder.flush();
    h.recorder.record(key, 'read_only', T0 + 100);
    h.now = T0 + 200;
    await h.recorder.flush();
    const counts = (await refusals(storage, key.tenantId)).map((event) => event.after);
    expect(counts).toEqual([
      { count: 1, firstAt: iso(T0 + 100), lastAt: iso(T0 + 100) },
      { count: 1, firstAt: iso(T0), lastAt: iso(T0) },
    ]);
  });

  it('writes many pairs in transactions of at most REFUSAL_BATCH events', async () => {
    const storage = failingStorage(0);
    const h = harness(storage);
    const tenantId = testTenantId();
    for (let i = 0; i < REFUSAL_BATCH * 2 + 1; i++) h.recorder.record(refusedKey(tenantId), 'read_only', T0);
    await h.recorder.flush();
    expect(storage.attempts()).toBe(3);
    expect(await refusals(storage, tenantId)).toHaveLength(REFUSAL_BATCH * 2 + 1);
  });
});

describe('RefusalRecorder timing', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes once the interval after the first refusal ended, not before', async () => {
    const storage = memoryAdapter();
    const h = harness(storage);
    const key = refusedKey();
    h.recorder.record(key, 'read_only', T0);
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    h.recorder.record(key, 'read_only', T0 + INTERVAL / 2);
    await vi.advanceTimersByTimeAsync(INTERVAL / 2 - 1);
    expect(await refusals(storage, key.tenantId)).toEqual([]);
    h.now = T0 + INTERVAL;
    await vi.advanceTimersByTimeAsync(1);
    const events = await refusals(storage, key.tenantId);
    expect(events.map((event) => event.after)).toEqual([
      { count: 2, firstAt: iso(T0), lastAt: iso(T0 + INTERVAL / 2) },
    ]);
    expect(events[0]?.createdAt).toEqual(new Date(T0 + INTERVAL));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries a failed write with backoff, merging the refusals counted meanwhile', async () => {
    const storage = failingStorage(2);
    const h = harness(storage);
    const key = refusedKey();
    h.recorder.record(key, 'read_only', T0);
    h.recorder.record(key, 'read_only', T0 + 10);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(storage.attempts()).toBe(1);
    expect(h.errors).toHaveLength(1);
    expect(h.recorder.size).toBe(1);
    h.recorder.record(key, 'read_only', T0 + INTERVAL + 50);
    h.recorder.record(key, 'creator_inactive', T0 + INTERVAL + 60);
    // First retry after 200 ms (fails again), second after 400 ms more.
    await vi.advanceTimersByTimeAsync(200);
    expect(storage.attempts()).toBe(2);
    await vi.advanceTimersByTimeAsync(399);
    expect(storage.attempts()).toBe(2);
    h.now = T0 + INTERVAL + 600;
    await vi.advanceTimersByTimeAsync(1);
    expect(storage.attempts()).toBe(3);
    expect(h.errors.map((error) => (error as KeywardError).code)).toEqual([
      'STORAGE_UNAVAILABLE',
      'STORAGE_UNAVAILABLE',
    ]);
    const events = await refusals(storage, key.tenantId);
    expect(events.map((event) => [event.reason, event.after]).sort()).toEqual([
      ['creator_inactive', { count: 1, firstAt: iso(T0 + INTERVAL + 60), lastAt: iso(T0 + INTERVAL + 60) }],
      ['read_only', { count: 3, firstAt: iso(T0), lastAt: iso(T0 + INTERVAL + 50) }],
    ]);
    expect(h.recorder.size).toBe(0);
  });

  it('flush() reports a failed write and keeps the counts for the next one', async () => {
    const storage = failingStorage(1);
    const h = harness(storage);
    const key = refusedKey();
    h.recorder.record(key, 'read_only', T0);
    h.recorder.stop();
    await h.recorder.flush();
    expect(h.errors).toHaveLength(1);
    expect(h.recorder.size).toBe(1);
    // Stopped: no retry timer; the next flush writes.
    expect(vi.getTimerCount()).toBe(0);
    await h.recorder.flush();
    expect((await refusals(storage, key.tenantId)).map((event) => event.after)).toEqual([
      { count: 1, firstAt: iso(T0), lastAt: iso(T0) },
    ]);
  });

  it('never keeps the process alive: its timer is unref-ed', () => {
    vi.useRealTimers();
    const h = harness(memoryAdapter());
    const spy = vi.spyOn(globalThis, 'setTimeout');
    h.recorder.record(refusedKey(), 'read_only', T0);
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    spy.mockRestore();
    expect(timer.hasRef()).toBe(false);
    h.recorder.stop();
  });
});

describe('RefusalRecorder memory bound', () => {
  const manyKeys = (tenantId: string, count: number, from = 0): RefusedKey[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `key_${from + i}`,
      serviceAccountId: 'sa_1',
      tenantId,
      workspaceId: 'ws-main',
    }));

  it(`counts at most ${MAX_TRACKED_REFUSALS} pairs, drops and reports the rest, and writes at once`, async () => {
    const storage = memoryAdapter();
    const h = harness(storage);
    const tenantId = testTenantId();
    const keys = manyKeys(tenantId, MAX_TRACKED_REFUSALS);
    for (const key of keys) h.recorder.record(key, 'read_only', T0);
    // An existing pair still counts; new pairs are dropped.
    h.recorder.record(keys[0] as RefusedKey, 'read_only', T0 + 1);
    h.recorder.record(keys[0] as RefusedKey, 'environment_not_accepted', T0 + 1);
    h.recorder.record(refusedKey(tenantId), 'read_only', T0 + 1);
    expect(h.recorder.size).toBe(MAX_TRACKED_REFUSALS);
    // The write starts on its own, long before the interval.
    await vi.waitFor(async () => expect(h.recorder.size).toBe(0), { timeout: 20_000 });
    await h.recorder.flush();
    h.recorder.stop();
    expect(h.errors.map(String)).toEqual([
      `Error: api_key.refused: 2 refusals dropped, more than ${MAX_TRACKED_REFUSALS} keys pending`,
    ]);
    const first = await storage.listAuditEvents({ tenantId, targetId: 'key_0', limit: 10 });
    expect(first.map((event) => event.after)).toEqual([{ count: 2, firstAt: iso(T0), lastAt: iso(T0 + 1) }]);
    expect(await refusals(storage, tenantId)).toHaveLength(MAX_TRACKED_REFUSALS);
  }, 60_000);

  it('drops the oldest pairs, down to 90% of the bound, when a failed write would overflow it', async () => {
    const storage = memoryAdapter();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let attempts = 0;
    const gated: StorageAdapter = {
      ...storage,
      transaction: async (fn) => {
        if (attempts++ > 0) return storage.transaction(fn);
        await gate;
        throw new KeywardError('STORAGE_UNAVAILABLE', 'down for the test');
      },
    };
    const h = harness(gated);
    h.recorder.stop();
    const tenantId = testTenantId();
    for (const key of manyKeys(tenantId, MAX_TRACKED_REFUSALS)) h.recorder.record(key, 'read_only', T0);
    const failing = h.recorder.flush();
    // Counted while the write is in progress: ten new pairs.
    for (const key of manyKeys(tenantId, 10, MAX_TRACKED_REFUSALS))
      h.recorder.record(key, 'read_only', T0 + 1);
    release();
    await failing;
    const kept = Math.floor(MAX_TRACKED_REFUSALS * 0.9);
    expect(h.recorder.size).toBe(kept);
    const dropped = MAX_TRACKED_REFUSALS + 10 - kept;
    expect(h.errors.map(String)).toEqual([
      'KeywardError: down for the test',
      `Error: api_key.refused: ${dropped} refusals dropped, more than ${MAX_TRACKED_REFUSALS} keys pending`,
    ]);
    await h.recorder.flush();
    const written = await refusals(storage, tenantId);
    expect(written).toHaveLength(kept);
    const ids = new Set(written.map((event) => event.target.id));
    expect(ids.has(`key_${dropped - 1}`)).toBe(false);
    expect(ids.has(`key_${dropped}`)).toBe(true);
    expect(ids.has(`key_${MAX_TRACKED_REFUSALS + 9}`)).toBe(true);
  }, 60_000);
});

describe('RefusalRecorder on SQLite', () => {
  it('stores the events, listed by listAuditEvents with the action filter', async () => {
    const db = openSqlite(':memory:');
    try {
      await migrateToLatest(db);
      const storage = kyselyAdapter(db, { dialect: 'sqlite' });
      const h = harness(storage);
      const key = refusedKey();
      h.recorder.record(key, 'invalid_secret', T0);
      h.recorder.record(key, 'invalid_secret', T0 + 2500);
      h.recorder.record(key, 'ip_not_allowed', T0 + 100);
      h.now = T0 + 5000;
      await h.recorder.flush();
      expect(h.errors).toEqual([]);
      const events = await refusals(storage, key.tenantId);
      expect(events.map((event) => [event.reason, event.after]).sort()).toEqual([
        ['invalid_secret', { count: 2, firstAt: iso(T0), lastAt: iso(T0 + 2500) }],
        ['ip_not_allowed', { count: 1, firstAt: iso(T0 + 100), lastAt: iso(T0 + 100) }],
      ]);
      expect(events[0]).toMatchObject({
        action: 'api_key.refused',
        actor: { type: 'key', id: key.id, serviceAccountId: key.serviceAccountId },
        target: { type: 'api_key', id: key.id },
        outcome: 'denied',
        before: null,
        request: {},
        createdAt: new Date(T0 + 5000),
      });
      const byKey = await storage.listAuditEvents({ tenantId: key.tenantId, targetId: key.id, limit: 10 });
      expect(byKey).toHaveLength(2);
    } finally {
      await db.destroy();
    }
  });
});
