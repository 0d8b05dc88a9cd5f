import { describe, expect, it } from 'vitest';
import { admin, dataset, setup, workspace } from '../support/keyward-fixture.js';

describe('the admin story, end to end on the memory adapter', () => {
  it('creates a dataset-scoped account with a key and walks it through its whole life', async () => {
    const { kw } = setup();
    const { account, key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'Nightly export',
      description: 'Exports the orders dataset',
      contactEmail: 'data@acme.test',
      roles: ['analyst'],
      datasetAccess: { mode: 'selected', datasetIds: ['orders'] },
      firstKey: { name: 'production' },
    });
    const token = key?.token as string;
    const readOrders = { action: 'datasets:read', resource: dataset('orders') };

    expect(await kw.verify(token, readOrders)).toMatchObject({ ok: true });
    expect(await kw.verify(token, { action: 'workspace.schemas:read', resource: workspace() })).toMatchObject(
      {
        ok: false,
        code: 'dataset_scoped_account',
      },
    );

    const rotated = await kw.keys.regenerate(admin, { keyId: key?.key.id as string });
    expect(rotated.key.id).toBe(key?.key.id);
    expect(await kw.verify(token, readOrders)).toMatchObject({ ok: false, code: 'invalid_secret' });
    expect(await kw.verify(rotated.token, readOrders)).toMatchObject({ ok: true });

    await kw.serviceAccounts.disable(admin, { id: account.id });
    expect(await kw.verify(rotated.token, readOrders)).toMatchObject({ ok: false, code: 'account_disabled' });
    await kw.serviceAccounts.enable(admin, { id: account.id });
    expect(await kw.verify(rotated.token, readOrders)).toMatchObject({ ok: true });

    await kw.serviceAccounts.delete(admin, { id: account.id });
    expect(await kw.verify(rotated.token, readOrders)).toMatchObject({ ok: false, code: 'key_not_found' });

    const trail = (await kw.audit.list(admin, { workspaceId: 'w_sales' })).items.map((event) => event.action);
    expect(trail).toEqual([
      'service_account.delete',
      'service_account.enable',
      'service_account.disable',
      'api_key.regenerate',
      'api_key.issue',
      'service_account.create',
    ]);
  });
});
