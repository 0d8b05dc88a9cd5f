import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { ApiKey } from '../../../src/entries/storage.js';
import { httpStatusFor } from '../../../src/http/http-status-table.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';

const read = { action: 'datasets:read', resource: dataset('d_1') };

/** A key issued through `kw`, over a storage the test can write to directly. */
async function issued() {
  const storage = memoryAdapter();
  const fixture = setup({ storage });
  const { key } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'k' },
  });
  if (key === undefined) throw new Error('no key');
  const keyId = key.key.id;
  const stored = async (): Promise<ApiKey> => {
    const found = await storage.findKey({ tenantId: TENANT, keyId });
    if (found === null) throw new Error('key not stored');
    return found;
  };
  return { ...fixture, storage, token: key.token, keyId, stored };
}

describe('a disabled key', () => {
  it('is refused with key_disabled (layer 1, the one 401), and works again once enabled', async () => {
    const { kw, storage, token, stored, clock } = await issued();
    expect((await kw.verify(token, read)).ok).toBe(true);
    // Same updatedAt on purpose: the compiled principal of the first request must not be reused.
    const key = await stored();
    await storage.updateKey({ key: { ...key, disabledAt: new Date(clock.now) } });
    const refused = await kw.verify(token, read);
    expect(refused).toMatchObject({ ok: false, code: 'key_disabled' });
    expect(refused.decision).toMatchObject({
      kind: 'explicit_deny',
      determining: [{ layer: 1, id: 'key_status' }],
    });
    expect(httpStatusFor('key_disabled')).toBe(401);
    await storage.updateKey({ key: { ...key, disabledAt: null } });
    expect((await kw.verify(token, read)).ok).toBe(true);
  });

  it('shows as disabled, before expired; a revoked key shows as revoked even when disabled', async () => {
    const { kw, storage, token, keyId, stored, clock } = await issued();
    const key = await stored();
    const expiredAndDisabled = { ...key, disabledAt: new Date(clock.now), expiresAt: new Date(clock.now) };
    await storage.updateKey({ key: expiredAndDisabled });
    expect((await kw.keys.get(admin, { keyId })).status).toBe('disabled');
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_disabled' });
    await kw.keys.revoke(admin, { keyId });
    expect((await kw.keys.get(admin, { keyId })).status).toBe('revoked');
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
  });
});
