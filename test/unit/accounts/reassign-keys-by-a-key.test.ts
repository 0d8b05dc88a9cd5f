import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const read = { action: 'datasets:read', resource: dataset('d_1') } as const;
const manage = { action: 'service_accounts:manage', resource: { tenantId: TENANT, workspaceId: 'w_sales' } };

/**
 * Under `liveCreatorBoundary`, "revoking any key up the chain stops every key below it" and "a
 * person's departure or downgrade reaches every key they made" (guide, "Who bounds a key").
 * `reassignKeys` rewrites `createdBy`: only a person may call it, or a key could cut the keys it
 * minted (itself included) out of its own chain.
 */
function world() {
  const people = new Map<string, UserActor>([
    ['u_admin', admin],
    ['u_alice', { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] }],
  ]);
  const { kw } = setup({
    liveCreatorBoundary: true,
    resolveActor: async ({ id, tenantId }) => {
      const found = people.get(id);
      return found !== undefined && found.tenantId === tenantId ? found : null;
    },
  });
  return { kw, people };
}

describe('reassignKeys by a key', () => {
  it('cannot move a key minted by a leaked key out of its chain: revoking the leaked key stops it', async () => {
    const { kw } = world();
    // An automation key created by the admin, later leaked.
    const automation = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'automation',
      roles: ['admin'],
      firstKey: { name: 'ci' },
    });
    const leaked = automation.key?.token as string;
    const verified = await kw.verify(leaked, manage);
    if (!verified.ok) throw new Error(verified.code);
    // The attacker, holding the leaked key, mints a key in a fresh account...
    const backdoor = await kw.serviceAccounts.create(verified.principal, {
      workspaceId: 'w_sales',
      name: 'backdoor',
      roles: ['analyst'],
      firstKey: { name: 'b' },
    });
    const minted = backdoor.key?.token as string;
    expect((await kw.verify(minted, read)).ok).toBe(true);
    // ...and, still as the leaked key, moves its creator to a person of the tenant.
    const refused = await rejection(
      kw.serviceAccounts.reassignKeys(verified.principal, {
        id: backdoor.account.id,
        to: { type: 'user', id: 'u_admin' },
      }),
    );
    expect([refused.code, refused.issues.map((issue) => issue.path.join('.'))]).toEqual([
      'INVALID_INPUT',
      ['actor'],
    ]);
    // Incident response: the leaked key is revoked; every key below it must stop.
    await kw.keys.revoke(admin, { keyId: automation.key?.key.id as string });
    expect(await kw.verify(leaked, read)).toMatchObject({ ok: false });
    expect(await kw.verify(minted, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });

  it('cannot re-parent itself: its creator leaving stops it', async () => {
    const { kw, people } = world();
    const alice = people.get('u_alice') as UserActor;
    const created = await kw.serviceAccounts.create(alice, {
      workspaceId: 'w_sales',
      name: 'alice automation',
      roles: ['admin'],
      firstKey: { name: 'ci' },
    });
    const token = created.key?.token as string;
    const verified = await kw.verify(token, manage);
    if (!verified.ok) throw new Error(verified.code);
    // The key (not an admin) reassigns its own account's keys, itself included, to another person.
    expect(
      (
        await rejection(
          kw.serviceAccounts.reassignKeys(verified.principal, {
            id: created.account.id,
            to: { type: 'user', id: 'u_admin' },
          }),
        )
      ).code,
    ).toBe('INVALID_INPUT');
    people.delete('u_alice');
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });
});
