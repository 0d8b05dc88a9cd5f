import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import {
  ERROR_CODES,
  KeywardError,
  type KeywardEvent,
  type StorageAdapter,
  type UserActor,
} from '../../../src/index.js';
import { admin, dataset, otherAdmin, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const DAY = 24 * 3600 * 1000;
const CIS = 45 * 86_400;

/** keyward on memory (or `storage`), with its events and an account of w_sales that may hold `keys` keys. */
async function world(options: { storage?: StorageAdapter; keys?: number; workspaceId?: string } = {}) {
  const events: KeywardEvent[] = [];
  const fixture = setup({
    storage: options.storage ?? memoryAdapter(),
    maxKeysPerAccount: options.keys ?? 10,
    lastUsedIntervalMs: 0,
    onEvent: (event) => {
      events.push(event);
    },
  });
  const { kw } = fixture;
  const { account } = await kw.serviceAccounts.create(admin, {
    workspaceId: options.workspaceId ?? 'w_sales',
    name: 'svc',
    roles: ['analyst'],
  });
  const issue = async (name: string, expiresInSeconds?: number) =>
    kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: expiresInSeconds === undefined ? { name } : { name, expiresInSeconds },
    });
  const status = async (keyId: string) => (await kw.keys.get(admin, { keyId })).status;
  const audits = async (action: string) =>
    (await kw.audit.list(admin, { limit: 100 })).items.filter((event) => event.action === action);
  const types = () => events.map((event) => event.type);
  return { ...fixture, account, events, issue, status, audits, types };
}

describe('keys.sweep: disableUnusedFor', () => {
  it('disables an active key unused for the window, audits it with its reason and emits key.swept once', async () => {
    const { kw, clock, issue, status, audits, events } = await world();
    const { key } = await issue('idle');
    clock.advance(46 * DAY);
    const events0 = events.length;
    expect(await kw.keys.sweep(admin, { disableUnusedFor: CIS })).toEqual({
      disabled: 1,
      revoked: 0,
      notified: 0,
      scanned: 1,
      more: false,
    });
    expect(await status(key.id)).toBe('disabled');
    const [audit] = await audits('api_key.sweep');
    expect(audit).toMatchObject({
      actor: { type: 'user', id: admin.id },
      target: { type: 'api_key', id: key.id },
      reason: 'unused',
      before: { status: 'active', disabledAt: null },
      after: { status: 'disabled' },
    });
    expect(events.slice(events0).map((event) => event.type)).toEqual(['key.swept']);
    expect(await kw.keys.sweep(admin, { disableUnusedFor: CIS })).toMatchObject({ disabled: 0, scanned: 0 });
    expect(await audits('api_key.sweep')).toHaveLength(1);
    expect(events.slice(events0)).toHaveLength(1);
  });

  it('keeps keys used, created or changed within the window', async () => {
    const { kw, clock, issue, status } = await world();
    const used = await issue('used');
    const regenerated = await issue('regenerated');
    clock.advance(40 * DAY);
    expect((await kw.verify(used.token, { action: 'datasets:read', resource: dataset('d_1') })).ok).toBe(
      true,
    );
    await kw.flush();
    await kw.keys.regenerate(admin, { keyId: regenerated.key.id });
    const young = await issue('young');
    clock.advance(10 * DAY);
    const done = await kw.keys.sweep(admin, { disableUnusedFor: CIS });
    expect(done).toMatchObject({ disabled: 0 });
    for (const { key } of [used, regenerated, young]) expect(await status(key.id)).toBe('active');
  });

  it('sweeps nothing by default but expiry notices', async () => {
    const { kw, clock, issue, status } = await world();
    const { key } = await issue('idle');
    clock.advance(400 * DAY);
    expect(await kw.keys.sweep(admin)).toEqual({
      disabled: 0,
      revoked: 0,
      notified: 0,
      scanned: 0,
      more: false,
    });
    expect(await status(key.id)).toBe('active');
  });
});

describe('keys.sweep: revokeExpiredAfter', () => {
  it('revokes keys expired for longer than the window, disabled ones too, and not the recently expired', async () => {
    const { kw, clock, issue, status, audits, types } = await world();
    const old = await issue('old', 3600);
    const disabled = await issue('disabled', 3600);
    await kw.keys.disable(admin, { keyId: disabled.key.id });
    clock.advance(20 * DAY);
    const recent = await issue('recent', 3600);
    clock.advance(2 * 3600 * 1000);
    const done = await kw.keys.sweep(admin, { revokeExpiredAfter: 7 * 86_400, notifyExpiring: false });
    expect(done).toMatchObject({ revoked: 2, notified: 0, more: false });
    expect([await status(old.key.id), await status(disabled.key.id), await status(recent.key.id)]).toEqual([
      'revoked',
      'revoked',
      'expired',
    ]);
    expect((await audits('api_key.sweep')).map((event) => event.reason)).toEqual(['expired', 'expired']);
    expect(types().filter((type) => type === 'key.swept')).toHaveLength(2);
    expect(
      await kw.keys.sweep(admin, { revokeExpiredAfter: 7 * 86_400, notifyExpiring: false }),
    ).toMatchObject({
      revoked: 0,
    });
  });
});

describe('keys.sweep: expiry notices', () => {
  it('notifies expiring soon once, then expired once, with one marker column', async () => {
    const { kw, clock, issue, audits, types } = await world();
    const { key } = await issue('expiring', 3 * 86_400);
    const far = await issue('far', 30 * 86_400);
    expect(await kw.keys.sweep(admin)).toMatchObject({ notified: 1 });
    const noticed = await kw.keys.get(admin, { keyId: key.id });
    expect(noticed.expiryNoticeAt).toEqual(new Date(clock.now));
    expect(noticed.updatedAt).toEqual(key.updatedAt);
    expect((await kw.keys.get(admin, { keyId: far.key.id })).expiryNoticeAt).toBeNull();
    expect(await kw.keys.sweep(admin)).toMatchObject({ notified: 0 });
    clock.advance(4 * DAY);
    expect(await kw.keys.sweep(admin)).toMatchObject({ notified: 1 });
    expect(await kw.keys.sweep(admin)).toMatchObject({ notified: 0 });
    expect(types().filter((type) => type === 'key.expiring_soon' || type === 'key.expired')).toEqual([
      'key.expiring_soon',
      'key.expired',
    ]);
    expect((await audits('api_key.expired_notice'))[0]).toMatchObject({ reason: 'expired' });
    expect((await audits('api_key.expiry_notice'))[0]).toMatchObject({ reason: 'expiring_soon' });
  });

  it('sends only key.expired for a key that expired before any run saw it expiring', async () => {
    const { kw, clock, issue, types } = await world();
    await issue('short', 3600);
    clock.advance(2 * 3600 * 1000);
    expect(await kw.keys.sweep(admin)).toMatchObject({ notified: 1 });
    expect(types().filter((type) => type.startsWith('key.exp'))).toEqual(['key.expired']);
  });

  it('a key revoked by the sweep gets key.swept, not key.expired', async () => {
    const { kw, clock, issue, types } = await world();
    await issue('short', 3600);
    clock.advance(2 * DAY);
    expect(await kw.keys.sweep(admin, { revokeExpiredAfter: 86_400 })).toMatchObject({
      revoked: 1,
      notified: 0,
    });
    expect(types().filter((type) => type.startsWith('key.exp') || type === 'key.swept')).toEqual([
      'key.swept',
    ]);
  });
});

describe('keys.sweep: batches, bounds and scope', () => {
  it('reads in batches and stops at maxKeys with more: true; the next runs finish the work', async () => {
    const { kw, clock, issue } = await world();
    for (let i = 0; i < 5; i++) await issue(`k${i}`);
    clock.advance(50 * DAY);
    const run = () => kw.keys.sweep(admin, { disableUnusedFor: CIS, batchSize: 2, maxKeys: 3 });
    expect(await run()).toMatchObject({ disabled: 3, more: true });
    expect(await run()).toMatchObject({ disabled: 2, more: false });
    expect(await run()).toMatchObject({ disabled: 0, more: false });
  });

  it('refuses bad input with every issue', async () => {
    const { kw } = await world();
    const error = await rejection(kw.keys.sweep(admin, { batchSize: 501, disableUnusedFor: 0 }));
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(error.issues.map((issue) => issue.path[0]).sort()).toEqual(['batchSize', 'disableUnusedFor']);
  });

  it('stays in the tenant, and in the workspaces where the actor manages keys', async () => {
    const { kw, clock, issue, status } = await world();
    const sales = await issue('sales');
    const { account: ops } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_ops',
      name: 'ops',
      roles: ['viewer'],
    });
    const opsKey = await kw.keys.issue(admin, { serviceAccountId: ops.id, key: { name: 'ops' } });
    clock.advance(50 * DAY);
    const salesAdmin: UserActor = {
      type: 'user',
      id: 'u_sales',
      tenantId: TENANT,
      permissions: ['*'],
      workspaceIds: ['w_sales'],
    };
    expect(await kw.keys.sweep(otherAdmin, { disableUnusedFor: CIS })).toMatchObject({
      disabled: 0,
      scanned: 0,
    });
    const denied = await rejection(
      kw.keys.sweep(salesAdmin, { workspaceId: 'w_ops', disableUnusedFor: CIS }),
    );
    expect(denied.code).toBe(ERROR_CODES.FORBIDDEN);
    const refused = (await kw.audit.list(admin, { action: 'api_key.sweep' })).items;
    expect(refused).toMatchObject([{ outcome: 'denied', workspaceId: 'w_ops' }]);
    expect(await kw.keys.sweep(salesAdmin, { disableUnusedFor: CIS })).toMatchObject({
      disabled: 1,
      scanned: 1,
    });
    expect([await status(sales.key.id), await status(opsKey.key.id)]).toEqual(['disabled', 'active']);
  });
});

describe('keys.sweep: decisions on the locked key, and failures', () => {
  it('does not disable a key used between the query and its transaction', async () => {
    const inner = memoryAdapter();
    let onQuery: (() => Promise<void>) | undefined;
    const storage: StorageAdapter = {
      ...inner,
      queryKeys: async (query) => {
        const page = await inner.queryKeys(query);
        await onQuery?.();
        return page;
      },
    };
    const { kw, clock, issue, status, events } = await world({ storage });
    const { key, token } = await issue('racing');
    clock.advance(50 * DAY);
    onQuery = async () => {
      onQuery = undefined;
      await kw.verify(token, { action: 'datasets:read', resource: dataset('d_1') });
      await kw.flush();
    };
    const before = events.length;
    expect(await kw.keys.sweep(admin, { disableUnusedFor: CIS })).toMatchObject({ disabled: 0, scanned: 1 });
    expect(await status(key.id)).toBe('active');
    expect(events.length).toBe(before);
  });

  it('rejects a run that fails half-way with what it did before (details.sweep); running again finishes', async () => {
    const inner = memoryAdapter();
    let transactions = 0;
    let failAt = Number.POSITIVE_INFINITY;
    const storage: StorageAdapter = {
      ...inner,
      transaction: (fn) => {
        transactions++;
        if (transactions === failAt) {
          return Promise.reject(new KeywardError(ERROR_CODES.STORAGE_UNAVAILABLE, 'Storage is unavailable'));
        }
        return inner.transaction(fn);
      },
    };
    const { kw, clock, issue, status } = await world({ storage });
    const keys = [await issue('a'), await issue('b'), await issue('c')];
    clock.advance(50 * DAY);
    failAt = transactions + 2;
    const error = await rejection(kw.keys.sweep(admin, { disableUnusedFor: CIS }));
    expect(error.code).toBe(ERROR_CODES.STORAGE_UNAVAILABLE);
    expect(error.details.sweep).toEqual({ disabled: 1, revoked: 0, notified: 0, scanned: 2, more: false });
    expect(await kw.keys.sweep(admin, { disableUnusedFor: CIS })).toMatchObject({ disabled: 2 });
    for (const { key } of keys) expect(await status(key.id)).toBe('disabled');
  });

  it('two sweeps racing change, audit and announce each key once', async () => {
    const { kw, clock, issue, audits, types } = await world();
    for (let i = 0; i < 4; i++) await issue(`idle${i}`);
    for (let i = 0; i < 3; i++) await issue(`expiring${i}`, 8 * 86_400);
    clock.advance(46 * DAY);
    // The expiring keys are now past expiry: 3 expired notices; the idle ones: 4 disables.
    const options = { disableUnusedFor: CIS, batchSize: 2 };
    const [a, b] = await Promise.all([kw.keys.sweep(admin, options), kw.keys.sweep(admin, options)]);
    expect(a.disabled + b.disabled).toBe(4);
    expect(a.notified + b.notified).toBe(3);
    expect(await audits('api_key.sweep')).toHaveLength(4);
    expect(await audits('api_key.expired_notice')).toHaveLength(3);
    expect(types().filter((type) => type === 'key.swept')).toHaveLength(4);
    expect(types().filter((type) => type === 'key.expired')).toHaveLength(3);
  });
});
