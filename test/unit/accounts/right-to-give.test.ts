import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT, workspace } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

/** May manage accounts and keys, and read datasets; may not write anything. */
const manager: UserActor = {
  type: 'user',
  id: 'u_manager',
  tenantId: TENANT,
  permissions: ['service_accounts:*', 'api_keys:manage', 'datasets:read', 'workspace:read'],
};

async function readOnlyAnalyst(datasetAccess: { mode: 'all' } | { mode: 'selected'; datasetIds: string[] }) {
  const fixture = setup();
  const { account } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'etl',
    roles: ['analyst'],
    readOnly: true,
    datasetAccess,
  });
  return { ...fixture, account };
}

describe('the right to give: every field that gives rights is checked for every actor', () => {
  it('refuses readOnly: false from an actor that may not write, naming what it would give', async () => {
    const { kw, account } = await readOnlyAnalyst({ mode: 'all' });
    const error = await rejection(kw.serviceAccounts.update(manager, { id: account.id, readOnly: false }));
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(error.details.exceeding).toEqual(expect.arrayContaining(['datasets:write', 'workspace:ingest']));
    expect((await kw.serviceAccounts.get(admin, { id: account.id })).readOnly).toBe(true);
  });

  it('refuses widening selected datasets to all when the actor lacks what all gives', async () => {
    const { kw, account } = await readOnlyAnalyst({ mode: 'selected', datasetIds: ['d1'] });
    const error = await rejection(
      kw.serviceAccounts.setDatasetAccess(manager, { id: account.id, datasetAccess: { mode: 'all' } }),
    );
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(error.details.exceeding).toContain('workspace.schemas:read');
    expect((await kw.serviceAccounts.get(admin, { id: account.id })).datasetAccess).toEqual({
      mode: 'selected',
      datasetIds: ['d1'],
    });
  });

  it('refuses granting datasets to an actor that cannot read them itself', async () => {
    const { kw, account } = await readOnlyAnalyst({ mode: 'selected', datasetIds: ['d1'] });
    const blind: UserActor = { ...manager, id: 'u_blind', permissions: ['service_accounts:*'] };
    const error = await rejection(
      kw.serviceAccounts.grantDatasets(blind, { id: account.id, datasetIds: ['d2'] }),
    );
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(error.details.exceeding).toEqual(['datasets:read']);
    const key = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k' } });
    const read = await kw.verify(key.token, { action: 'datasets:read', resource: dataset('d2') });
    expect(read).toMatchObject({ ok: false, code: 'dataset_not_granted' });
  });

  it('lets the same actor give what it holds and edit what it does not give', async () => {
    const { kw, account } = await readOnlyAnalyst({ mode: 'selected', datasetIds: ['d1'] });
    await kw.serviceAccounts.grantDatasets(manager, { id: account.id, datasetIds: ['d2'] });
    const renamed = await kw.serviceAccounts.update(manager, { id: account.id, name: 'etl nightly' });
    expect(renamed).toMatchObject({ name: 'etl nightly', readOnly: true, version: 3 });
    await kw.serviceAccounts.revokeDatasets(manager, { id: account.id, datasetIds: ['d1'] });
  });

  it('lets an actor edit an account holding more than itself when the edit gives nothing', async () => {
    const fixture = setup();
    const { account } = await fixture.kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'powerful',
      roles: ['admin'],
    });
    const updated = await fixture.kw.serviceAccounts.update(manager, { id: account.id, readOnly: true });
    expect(updated.readOnly).toBe(true);
    const error = await rejection(
      fixture.kw.serviceAccounts.update(manager, { id: account.id, readOnly: false }),
    );
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
  });

  it('refuses a key whose secret would carry more than the actor holds, also for a verified key actor', async () => {
    const { kw, account } = await readOnlyAnalyst({ mode: 'all' });
    const { account: managing, key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'robot manager',
      roles: ['viewer'],
      firstKey: { name: 'robot' },
    });
    await kw.serviceAccounts.update(admin, { id: managing.id, roles: ['admin'], readOnly: true });
    // A read-only admin key: it may not manage anything (management is an admin action).
    const verified = await kw.verify(key?.token, { action: 'workspace:read', resource: workspace() });
    if (!verified.ok) throw new Error(`expected a verified key, got ${verified.code}`);
    const refused = await rejection(
      kw.keys.issue(verified.principal, { serviceAccountId: account.id, key: { name: 'x' } }),
    );
    expect(refused.code).toBe(ERROR_CODES.FORBIDDEN);
    await kw.serviceAccounts.update(admin, { id: account.id, readOnly: false });
    const error = await rejection(
      kw.keys.issue(manager, { serviceAccountId: account.id, key: { name: 'x' } }),
    );
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    const narrowed = await kw.keys.issue(manager, {
      serviceAccountId: account.id,
      key: { name: 'reader', scopes: ['datasets:read'] },
    });
    expect(narrowed.key.scopes).toEqual(['datasets:read']);
    const regenerated = await kw.keys.regenerate(manager, { keyId: narrowed.key.id });
    expect(regenerated.key.regeneratedBy).toEqual({ type: 'user', id: 'u_manager' });
  });
});
