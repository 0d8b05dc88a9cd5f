import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type UserActor } from '../../../src/index.js';
import { admin, OTHER_TENANT, otherAdmin, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const base = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };

describe('serviceAccounts.create', () => {
  it('creates an active account owned by the actor in the actor tenant, with defaults', async () => {
    const { kw, clock } = setup();
    const { account, key } = await kw.serviceAccounts.create(admin, {
      ...base,
      contactEmail: 'etl@acme.test',
    });
    expect(key).toBeUndefined();
    expect(account).toMatchObject({
      tenantId: TENANT,
      workspaceId: 'w_sales',
      name: 'ETL pipeline',
      description: null,
      contactEmail: 'etl@acme.test',
      roles: ['analyst'],
      readOnly: false,
      datasetAccess: { mode: 'all' },
      status: 'active',
      createdBy: { type: 'user', id: 'u_admin' },
      version: 1,
      metadata: {},
    });
    expect(account.id).toMatch(/^sa_[0-9A-Za-z]{16}$/);
    expect(account.createdAt.getTime()).toBe(clock.now);
    expect(await kw.serviceAccounts.get(admin, { id: account.id })).toEqual(account);
  });

  it('ignores no field silently: tenantId or createdBy in the input are refused as unknown keys', async () => {
    const { kw } = setup();
    const error = await rejection(
      kw.serviceAccounts.create(admin, { ...base, tenantId: OTHER_TENANT, createdBy: 'u_evil' } as never),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(error.issues.map((issue) => issue.code)).toContain('unrecognized_keys');
  });

  it('reports every validation issue at once and stores nothing', async () => {
    const { kw } = setup();
    const error = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'bad workspace!',
        name: 'line\nbreak',
        contactEmail: 'not-an-email',
        roles: [],
        description: 'x'.repeat(501),
      }),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
    const paths = error.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['workspaceId', 'name', 'contactEmail', 'roles', 'description']),
    );
    expect((await kw.serviceAccounts.list(admin)).items).toEqual([]);
    expect((await kw.audit.list(admin)).items).toEqual([]);
  });

  it('issues the first key in the same call and returns its token once', async () => {
    const { kw } = setup();
    const { account, key } = await kw.serviceAccounts.create(admin, { ...base, firstKey: { name: 'prod' } });
    expect(key?.token).toMatch(/^acme_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    expect(key?.key).toMatchObject({
      serviceAccountId: account.id,
      name: 'prod',
      status: 'active',
      environment: 'live',
    });
    expect(JSON.stringify(key?.key)).not.toContain(key?.token.slice(-20));
    const listed = await kw.keys.list(admin, { serviceAccountId: account.id });
    expect(listed.items.map((item) => item.id)).toEqual([key?.key.id]);
  });

  it('refuses roles that are not assignable to service accounts', async () => {
    const { kw } = setup();
    const error = await rejection(kw.serviceAccounts.create(admin, { ...base, roles: ['owner'] }));
    expect(error.code).toBe(ERROR_CODES.ROLE_NOT_ASSIGNABLE);
    expect(error.details).toEqual({ roles: ['owner'] });
  });

  it('refuses unknown roles as invalid input', async () => {
    const { kw } = setup();
    const error = await rejection(kw.serviceAccounts.create(admin, { ...base, roles: ['superuser'] }));
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(error.issues[0]?.path).toEqual(['roles']);
  });

  it('refuses roles above the creator and names the difference', async () => {
    const { kw } = setup();
    const manager: UserActor = {
      type: 'user',
      id: 'u_mgr',
      tenantId: TENANT,
      permissions: ['service_accounts:manage', 'service_accounts:read', '*:read', '*:list'],
    };
    const error = await rejection(kw.serviceAccounts.create(manager, { ...base, roles: ['analyst'] }));
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(error.details.exceeding).toEqual(expect.arrayContaining(['datasets:write']));
    expect(error.details.exceeding).not.toContain('datasets:read');
    const ok = await kw.serviceAccounts.create(manager, { ...base, roles: ['viewer'] });
    expect(ok.account.createdBy).toEqual({ type: 'user', id: 'u_mgr' });
  });

  it('refuses an actor without service_accounts:manage, and audits the refused attempt', async () => {
    const { kw } = setup();
    const viewer: UserActor = { type: 'user', id: 'u_view', tenantId: TENANT, permissions: ['*:read'] };
    const error = await rejection(
      kw.serviceAccounts.create(viewer, base, { request: { ip: '203.0.113.9' } }),
    );
    expect(error.code).toBe(ERROR_CODES.FORBIDDEN);
    expect(error.details.reason).toBe('not_granted');
    const events = await kw.audit.list(admin);
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      action: 'service_account.create',
      outcome: 'denied',
      reason: 'not_granted',
      actor: { type: 'user', id: 'u_view' },
      request: { ip: '203.0.113.9' },
    });
  });

  it('confines a workspace-restricted user to its workspaces', async () => {
    const { kw } = setup();
    const salesAdmin: UserActor = {
      type: 'user',
      id: 'u_s',
      tenantId: TENANT,
      permissions: ['*'],
      workspaceIds: ['w_sales'],
    };
    await kw.serviceAccounts.create(salesAdmin, base);
    const error = await rejection(kw.serviceAccounts.create(salesAdmin, { ...base, workspaceId: 'w_ops' }));
    expect(error.code).toBe(ERROR_CODES.FORBIDDEN);
    expect(error.details.reason).toBe('outside_workspace_binding');
  });
});

describe('serviceAccounts reads and tenant isolation', () => {
  it('answers NOT_FOUND for every call on another tenant account, and changes nothing', async () => {
    const { kw } = setup();
    const { account } = await kw.serviceAccounts.create(admin, base);
    const calls = [
      kw.serviceAccounts.get(otherAdmin, { id: account.id }),
      kw.serviceAccounts.update(otherAdmin, { id: account.id, name: 'hijacked' }),
      kw.serviceAccounts.disable(otherAdmin, { id: account.id }),
      kw.serviceAccounts.delete(otherAdmin, { id: account.id }),
      kw.serviceAccounts.setDatasetAccess(otherAdmin, { id: account.id, datasetAccess: { mode: 'all' } }),
      kw.keys.issue(otherAdmin, { serviceAccountId: account.id, key: { name: 'x' } }),
      kw.keys.list(otherAdmin, { serviceAccountId: account.id }),
    ];
    for (const call of calls) expect((await rejection(call)).code).toBe(ERROR_CODES.NOT_FOUND);
    expect(await kw.serviceAccounts.get(admin, { id: account.id })).toEqual(account);
    expect((await kw.serviceAccounts.list(otherAdmin)).items).toEqual([]);
    expect((await kw.audit.list(otherAdmin)).items).toEqual([]);
  });

  it('lists by workspace and status with cursor pagination, never repeating or skipping', async () => {
    const { kw } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { account } = await kw.serviceAccounts.create(admin, {
        ...base,
        name: `acct ${i}`,
        workspaceId: i % 2 ? 'w_ops' : 'w_sales',
      });
      ids.push(account.id);
    }
    await kw.serviceAccounts.disable(admin, { id: ids[0] as string });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await kw.serviceAccounts.list(admin, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids);
    const sales = await kw.serviceAccounts.list(admin, { workspaceId: 'w_sales' });
    expect(sales.items.map((item) => item.id)).toEqual([ids[0], ids[2], ids[4], ids[6]]);
    const disabled = await kw.serviceAccounts.list(admin, { status: 'disabled' });
    expect(disabled.items.map((item) => item.id)).toEqual([ids[0]]);
  });

  it('shows a workspace-restricted user only the accounts of its workspaces', async () => {
    const { kw } = setup();
    await kw.serviceAccounts.create(admin, base);
    const ops = await kw.serviceAccounts.create(admin, { ...base, workspaceId: 'w_ops' });
    const opsReader: UserActor = {
      type: 'user',
      id: 'u_o',
      tenantId: TENANT,
      permissions: ['*:read'],
      workspaceIds: ['w_ops'],
    };
    const page = await kw.serviceAccounts.list(opsReader);
    expect(page.items.map((item) => item.id)).toEqual([ops.account.id]);
  });

  it('refuses a malformed cursor with INVALID_INPUT', async () => {
    const { kw } = setup();
    const error = await rejection(kw.serviceAccounts.list(admin, { cursor: 'bm90LWEtY3Vyc29y' }));
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
  });
});

describe('serviceAccounts changes', () => {
  it('updates fields, bumps the version and audits before and after', async () => {
    const { kw, clock } = setup();
    const { account } = await kw.serviceAccounts.create(admin, base);
    clock.advance(1000);
    const updated = await kw.serviceAccounts.update(admin, {
      id: account.id,
      name: 'Renamed',
      readOnly: true,
      description: 'nightly',
    });
    expect(updated).toMatchObject({ name: 'Renamed', readOnly: true, description: 'nightly', version: 2 });
    expect(updated.updatedAt.getTime()).toBe(clock.now);
    const [event] = (await kw.audit.list(admin, { action: 'service_account.update' })).items;
    expect(event?.before).toMatchObject({ name: 'ETL pipeline', readOnly: false });
    expect(event?.after).toMatchObject({ name: 'Renamed', readOnly: true, version: 2 });
  });

  it('refuses a stale expectedVersion with CONFLICT and keeps the stored account', async () => {
    const { kw } = setup();
    const { account } = await kw.serviceAccounts.create(admin, base);
    await kw.serviceAccounts.update(admin, { id: account.id, name: 'first', expectedVersion: 1 });
    const error = await rejection(
      kw.serviceAccounts.update(admin, { id: account.id, name: 'second', expectedVersion: 1 }),
    );
    expect(error.code).toBe(ERROR_CODES.CONFLICT);
    expect((await kw.serviceAccounts.get(admin, { id: account.id })).name).toBe('first');
  });

  it('refuses an empty update', async () => {
    const { kw } = setup();
    const { account } = await kw.serviceAccounts.create(admin, base);
    expect((await rejection(kw.serviceAccounts.update(admin, { id: account.id }))).code).toBe(
      ERROR_CODES.INVALID_INPUT,
    );
  });

  it('sets, grants and revokes datasets', async () => {
    const { kw } = setup();
    const { account } = await kw.serviceAccounts.create(admin, base);
    const selected = await kw.serviceAccounts.setDatasetAccess(admin, {
      id: account.id,
      datasetAccess: { mode: 'selected', datasetIds: ['d_1'] },
    });
    expect(selected.datasetAccess).toEqual({ mode: 'selected', datasetIds: ['d_1'] });
    const granted = await kw.serviceAccounts.grantDatasets(admin, {
      id: account.id,
      datasetIds: ['d_2', 'd_1'],
    });
    expect(granted.datasetAccess).toEqual({ mode: 'selected', datasetIds: ['d_1', 'd_2'] });
    const revoked = await kw.serviceAccounts.revokeDatasets(admin, { id: account.id, datasetIds: ['d_1'] });
    expect(revoked.datasetAccess).toEqual({ mode: 'selected', datasetIds: ['d_2'] });
    const last = await rejection(
      kw.serviceAccounts.revokeDatasets(admin, { id: account.id, datasetIds: ['d_2'] }),
    );
    expect(last.code).toBe(ERROR_CODES.INVALID_STATE);
  });

  it('refuses datasets outside the binding when the host says which belong', async () => {
    const { kw } = setup({
      datasetsInWorkspace: async ({ workspaceId, datasetIds }) =>
        datasetIds.filter((id) => id.startsWith(`${workspaceId}.`)),
    });
    const error = await rejection(
      kw.serviceAccounts.create(admin, {
        ...base,
        datasetAccess: { mode: 'selected', datasetIds: ['w_sales.d1', 'w_ops.d9'] },
      }),
    );
    expect(error.code).toBe(ERROR_CODES.DATASET_OUTSIDE_BINDING);
    expect(error.details.datasetIds).toEqual(['w_ops.d9']);
  });

  it('disables and enables (idempotently) and deletes with its keys while the audit trail stays', async () => {
    const { kw } = setup();
    const { account, key } = await kw.serviceAccounts.create(admin, { ...base, firstKey: { name: 'k' } });
    expect((await kw.serviceAccounts.disable(admin, { id: account.id })).status).toBe('disabled');
    const again = await kw.serviceAccounts.disable(admin, { id: account.id });
    expect(again.version).toBe(2);
    expect((await kw.serviceAccounts.enable(admin, { id: account.id })).status).toBe('active');
    await kw.serviceAccounts.delete(admin, { id: account.id });
    expect((await rejection(kw.serviceAccounts.get(admin, { id: account.id }))).code).toBe(
      ERROR_CODES.NOT_FOUND,
    );
    expect((await rejection(kw.keys.get(admin, { keyId: key?.key.id as string }))).code).toBe(
      ERROR_CODES.NOT_FOUND,
    );
    const actions = (await kw.audit.list(admin)).items.map((event) => event.action);
    expect(actions).toEqual([
      'service_account.delete',
      'service_account.enable',
      'service_account.disable',
      'api_key.issue',
      'service_account.create',
    ]);
  });
});
