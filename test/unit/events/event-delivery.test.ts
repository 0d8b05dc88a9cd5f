import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import {
  createKeyward,
  ERROR_CODES,
  type KeywardConfig,
  type KeywardEvent,
  type StorageAdapter,
} from '../../../src/index.js';
import type { StorageTransaction } from '../../../src/storage/storage-adapter.js';
import { admin } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

type TransactionFn = Parameters<StorageAdapter['transaction']>[0];

const newAccount = (name = 'svc') => ({ workspaceId: 'w_sales', name, roles: ['viewer' as const] });

/** `inner` with its `transaction` replaced. */
function withTransaction(
  inner: StorageAdapter,
  transaction: (fn: TransactionFn) => Promise<unknown>,
): StorageAdapter {
  return Object.create(inner, { transaction: { value: transaction } }) as StorageAdapter;
}

/** A transaction whose `insertAuditEvent` throws. */
function auditFails(inner: StorageAdapter): StorageAdapter {
  return withTransaction(inner, (fn) =>
    inner.transaction((tx) =>
      fn(
        Object.create(tx, {
          insertAuditEvent: {
            value: () => Promise.reject(new Error('audit write failed')),
          },
        }) as StorageTransaction,
      ),
    ),
  );
}

/** Runs the whole callback, then fails as a commit would: everything rolls back. */
function commitFails(inner: StorageAdapter): StorageAdapter {
  return withTransaction(inner, (fn) =>
    inner.transaction(async (tx) => {
      await fn(tx);
      throw new Error('commit failed');
    }),
  );
}

/** Runs the callback once to the end and rolls it back (as a busy SQLite would), then again. */
function retriedOnce(inner: StorageAdapter): StorageAdapter & { attempts: () => number } {
  let attempts = 0;
  const storage = withTransaction(inner, async (fn) => {
    const counted: TransactionFn = (tx) => {
      attempts++;
      return fn(tx);
    };
    await inner
      .transaction(async (tx) => {
        await counted(tx);
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      })
      .catch(() => undefined);
    return inner.transaction(counted);
  });
  return Object.assign(storage, { attempts: () => attempts });
}

function world(storage: StorageAdapter = memoryAdapter(), config: Partial<KeywardConfig> = {}) {
  const events: KeywardEvent[] = [];
  const errors: unknown[] = [];
  const kw = createKeyward({
    storage,
    tokenPrefix: 'acme',
    onEvent: (event) => void events.push(event),
    onBackgroundError: (error) => void errors.push(error),
    ...config,
  });
  return { kw, events, errors };
}

/** A promise and the function that resolves it. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('events are emitted only for committed changes', () => {
  it('none when a later step of the transaction fails (the first key of a create is refused)', async () => {
    const { kw, events } = world(memoryAdapter(), { minKeyTtl: 3600 });
    const error = await rejection(
      kw.serviceAccounts.create(admin, { ...newAccount(), firstKey: { name: 'k', expiresInSeconds: 60 } }),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_EXPIRY);
    expect(events).toEqual([]);
  });

  it('none when the audit write fails', async () => {
    const inner = memoryAdapter();
    const { kw, events } = world(auditFails(inner));
    await expect(kw.serviceAccounts.create(admin, newAccount())).rejects.toThrow();
    expect(events).toEqual([]);
    expect(await inner.listAuditEvents({ tenantId: admin.tenantId, limit: 10 })).toEqual([]);
  });

  it('none when the commit fails after the whole write ran', async () => {
    const { kw, events } = world(commitFails(memoryAdapter()));
    await expect(kw.serviceAccounts.create(admin, newAccount())).rejects.toThrow('commit failed');
    expect(events).toEqual([]);
  });

  it('a retried transaction emits once, the events of its committed attempt', async () => {
    const storage = retriedOnce(memoryAdapter());
    const { kw, events } = world(storage);
    const { account, key } = await kw.serviceAccounts.create(admin, {
      ...newAccount(),
      firstKey: { name: 'k' },
    });
    expect(storage.attempts()).toBe(2);
    expect(events.map((event) => event.type)).toEqual(['service_account.created', 'key.created']);
    const trail = (await kw.audit.follow(admin)).items;
    expect(events.map((event) => event.id)).toEqual(trail.map((event) => event.id));
    expect(events[0]).toMatchObject({ account: { id: account.id } });
    expect(events[1]).toMatchObject({ key: { id: key?.key.id } });
  });
});

describe('delivery', () => {
  it('calls onEvent in commit order, not in the order the calls started', async () => {
    const inner = memoryAdapter();
    const held = gate();
    let first = true;
    const storage = withTransaction(inner, async (fn) => {
      if (first) {
        first = false;
        await held.opened;
      }
      return inner.transaction(fn);
    });
    const { kw, events } = world(storage);
    const early = kw.serviceAccounts.create(admin, newAccount('started-first'));
    await tick();
    const late = await kw.serviceAccounts.create(admin, newAccount('started-second'));
    held.open();
    await early;
    const names = events.map((event) => (event as { account: { name: string } }).account.name);
    expect(names).toEqual(['started-second', 'started-first']);
    expect(late.account.name).toBe('started-second');
    const trail = (await kw.audit.follow(admin)).items;
    expect(events.map((event) => event.id)).toEqual(trail.map((event) => event.id));
  });

  it('keeps commit order across concurrent calls', async () => {
    const { kw, events } = world();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => kw.serviceAccounts.create(admin, newAccount(`s${i}`))),
    );
    const trail = (await kw.audit.follow(admin)).items;
    expect(events.map((event) => event.id)).toEqual(trail.map((event) => event.id));
  });

  it('the management call waits until onEvent settled', async () => {
    const handled = gate();
    const { kw } = world(memoryAdapter(), { onEvent: () => handled.opened });
    let done = false;
    const creating = kw.serviceAccounts.create(admin, newAccount()).then(() => {
      done = true;
    });
    await tick();
    expect(done).toBe(false);
    handled.open();
    await creating;
    expect(done).toBe(true);
  });

  it('a throwing or rejecting onEvent reaches onBackgroundError and the call still succeeds', async () => {
    const thrown = new Error('mail server down');
    const rejected = new Error('webhook 500');
    const { kw, errors } = world(memoryAdapter(), {
      onEvent: (event) => {
        if (event.type === 'service_account.created') throw thrown;
        return Promise.reject(rejected);
      },
    });
    const { account, key } = await kw.serviceAccounts.create(admin, {
      ...newAccount(),
      firstKey: { name: 'k' },
    });
    expect(key?.token).toMatch(/^acme_/);
    expect(errors).toEqual([thrown, rejected]);
    expect((await kw.serviceAccounts.get(admin, { id: account.id })).name).toBe('svc');
  });

  it('the call still succeeds when onBackgroundError throws too', async () => {
    const { kw } = world(memoryAdapter(), {
      onEvent: () => {
        throw new Error('handler');
      },
      onBackgroundError: () => {
        throw new Error('error hook');
      },
    });
    await expect(kw.serviceAccounts.create(admin, newAccount())).resolves.toMatchObject({
      account: { name: 'svc' },
    });
  });

  it('a handler may make management calls of its own', async () => {
    const seen: string[] = [];
    const { kw } = world();
    const reacting = createKeyward({
      storage: memoryAdapter(),
      tokenPrefix: 'acme',
      onEvent: async (event) => {
        seen.push(event.type);
        if (event.type === 'service_account.created') {
          await reacting.keys.issue(admin, { serviceAccountId: event.account.id, key: { name: 'auto' } });
        }
      },
    });
    await reacting.serviceAccounts.create(admin, newAccount());
    expect(seen).toEqual(['service_account.created', 'key.created']);
    await kw.close();
  });

  it('close() waits for onEvent calls in progress', async () => {
    const handled = gate();
    const called = gate();
    const delivered: string[] = [];
    const { kw } = world(memoryAdapter(), {
      onEvent: async (event) => {
        called.open();
        await handled.opened;
        delivered.push(event.type);
      },
    });
    const creating = kw.serviceAccounts.create(admin, newAccount());
    await called.opened;
    let closed = false;
    const closing = kw.close().then(() => {
      closed = true;
    });
    await tick();
    expect(closed).toBe(false);
    handled.open();
    await closing;
    expect(delivered).toEqual(['service_account.created']);
    await creating;
  });

  it('without onEvent, nothing is built and writes work as before', async () => {
    const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
    await expect(kw.serviceAccounts.create(admin, newAccount())).resolves.toBeDefined();
  });
});
