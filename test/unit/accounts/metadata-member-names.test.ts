import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

/** Metadata with an own entry named `__proto__`, as `JSON.parse` or a computed key makes it. */
const protoEntry = (value: unknown) => ({ ['__proto__']: value, team: 'ops' }) as Record<string, string>;

async function accountWithKey() {
  const { kw } = setup();
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'ETL',
    roles: ['viewer'],
    metadata: { team: 'data' },
    firstKey: { name: 'ci' },
  });
  return { kw, account, keyId: key?.key.id as string };
}

describe('metadata entry names', () => {
  it('refuses an entry named __proto__ in every call that takes metadata, writing nothing', async () => {
    const { kw, account, keyId } = await accountWithKey();
    const auditBefore = (await kw.audit.list(admin, {})).items.length;
    const refusals = await Promise.all([
      rejection(
        kw.serviceAccounts.create(admin, {
          workspaceId: 'w_sales',
          name: 'Other',
          roles: ['viewer'],
          metadata: protoEntry('x'),
        }),
      ),
      rejection(kw.serviceAccounts.update(admin, { id: account.id, metadata: protoEntry({ team: 'x' }) })),
      rejection(kw.keys.update(admin, { keyId, metadata: protoEntry('x') })),
    ]);
    for (const error of refusals) {
      expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
      expect(error.issues).toEqual([
        { code: 'unrecognized_keys', path: ['metadata'], message: 'Unrecognized key: "__proto__"' },
      ]);
    }
    expect((await kw.serviceAccounts.list(admin, {})).items).toHaveLength(1);
    expect((await kw.serviceAccounts.get(admin, { id: account.id })).metadata).toEqual({ team: 'data' });
    expect((await kw.keys.get(admin, { keyId })).metadata).toEqual({});
    expect((await kw.audit.list(admin, {})).items).toHaveLength(auditBefore);
  });

  it('keeps entries named constructor, prototype or toString as plain entries', async () => {
    const { kw, account, keyId } = await accountWithKey();
    const metadata = { constructor: 'a', prototype: 'b', toString: 'c' };
    await kw.serviceAccounts.update(admin, { id: account.id, metadata });
    await kw.keys.update(admin, { keyId, metadata });
    const stored = await kw.serviceAccounts.get(admin, { id: account.id });
    expect(Object.entries(stored.metadata)).toEqual(Object.entries(metadata));
    expect(Object.entries((await kw.keys.get(admin, { keyId })).metadata)).toEqual(Object.entries(metadata));
  });
});
