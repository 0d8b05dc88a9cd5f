import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, type StorageAdapter } from '../../../src/index.js';
import { admin, dataset } from '../../support/keyward-fixture.js';

const read = { action: 'datasets:read' as const, resource: dataset('d_1') };

/** A memory adapter whose request-path read waits for `release()` once `hold()` was called. */
function holdableStorage() {
  const inner = memoryAdapter();
  let gate: Promise<void> | null = null;
  let open: () => void = () => {};
  const storage = Object.create(inner, {
    findKeyForVerification: {
      value: async (args: { keyId: string }) => {
        const found = await inner.findKeyForVerification(args);
        if (gate !== null) await gate;
        return found;
      },
    },
  }) as StorageAdapter;
  return {
    storage,
    hold: () => {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
  };
}

async function world() {
  const held = holdableStorage();
  const errors: unknown[] = [];
  const kw = createKeyward({
    storage: held.storage,
    tokenPrefix: 'acme',
    onBackgroundError: (error) => errors.push(error),
  });
  const { key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['viewer'],
    firstKey: { name: 'k' },
  });
  return { ...held, kw, token: key!.token, errors };
}

describe('kw.close()', () => {
  it('waits for verifications in progress, then refuses new work', async () => {
    const { kw, token, hold, release } = await world();
    hold();
    const inFlight = kw.verify(token, read);
    let closed = false;
    const closing = kw.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'storage_unavailable' });
    await expect(kw.serviceAccounts.list(admin)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    release();
    expect((await inFlight).ok).toBe(true);
    await closing;
    expect(closed).toBe(true);
    await kw.close();
  });

  it('waits for management calls in progress', async () => {
    const inner = memoryAdapter();
    let enter: () => void = () => {};
    const entered = new Promise<void>((resolve) => {
      enter = resolve;
    });
    let finish: () => void = () => {};
    const slow = Object.create(inner, {
      transaction: {
        value: async (fn: Parameters<StorageAdapter['transaction']>[0]) => {
          enter();
          await new Promise<void>((resolve) => {
            finish = resolve;
          });
          return inner.transaction(fn);
        },
      },
    }) as StorageAdapter;
    const kw = createKeyward({ storage: slow, tokenPrefix: 'acme' });
    const creating = kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['viewer'],
    });
    await entered;
    const closing = kw.close();
    finish();
    const { account } = await creating;
    await closing;
    expect(await inner.findServiceAccount({ tenantId: admin.tenantId, id: account.id })).not.toBeNull();
  });

  it('gives up waiting after its timeout and reports what was still running', async () => {
    const { kw, token, hold, errors } = await world();
    hold();
    void kw.verify(token, read);
    await kw.close({ timeoutMs: 30 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'STORAGE_UNAVAILABLE', details: { running: 1 } });
  });
});
