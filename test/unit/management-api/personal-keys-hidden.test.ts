import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../../src/index.js';
import { createManagementApi } from '../../../src/management-api/index.js';
import { setup, TENANT } from '../../support/keyward-fixture.js';
import { bodyOf } from '../../support/management-api-client.js';

/**
 * docs/decisions.md ("A person's own keys"): "anyone else gets NOT_FOUND (as for a key that does
 * not exist: a person's keys are not shown to other people), unless they hold api_keys:manage on
 * the key's workspace ... `kw.keys` answers NOT_FOUND for a personal key (`get` and every change)
 * ... a workspace reader is not an admin".
 */

const alice: UserActor = { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] };
/** A workspace reader of w_sales: not an admin, holds no api_keys:manage. */
const reader: UserActor = {
  type: 'user',
  id: 'u_reader',
  tenantId: TENANT,
  permissions: ['service_accounts:read', 'datasets:read'],
  workspaceIds: ['w_sales'],
};
const PEOPLE: Readonly<Record<string, UserActor>> = { alice, reader };

async function aliceHasAPersonalKey() {
  const { kw } = setup({
    resolveActor: async ({ id }) => Object.values(PEOPLE).find((person) => person.id === id) ?? null,
  });
  const api = createManagementApi(kw, {
    authenticate: (request) =>
      PEOPLE[(request.headers as Record<string, string>)['x-test-user'] ?? ''] ?? null,
  });
  const call = (method: string, path: string, as: string, json?: unknown) =>
    api.handle({
      method,
      path,
      headers: { 'x-test-user': as, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
      ip: '203.0.113.7',
    });
  const issued = await call('POST', '/me/keys', 'alice', {
    workspaceId: 'w_sales',
    name: 'alice-laptop',
    scopes: ['datasets:read'],
  });
  expect(issued.status).toBe(200);
  return { kw, call, keyId: bodyOf(issued).key.id as string };
}

describe("management API: a person's own keys stay hidden from workspace readers", () => {
  it("GET /audit does not show a workspace reader the events of someone else's personal key", async () => {
    const { call, keyId } = await aliceHasAPersonalKey();
    // The reader cannot see the key itself...
    expect((await call('GET', `/keys/${keyId}`, 'reader')).status).toBe(404);
    // ...but the audit trail hands over its id, name, scopes and token start.
    const audit = await call('GET', '/audit?workspaceId=w_sales', 'reader');
    expect(audit.status).toBe(200);
    const shown = bodyOf(audit).items.filter(
      (event: { target: { id: string } }) => event.target.id === keyId,
    );
    expect(shown).toEqual([]);
  });

  it('GET /audit/follow does not show them either', async () => {
    const { call, keyId } = await aliceHasAPersonalKey();
    const follow = await call('GET', '/audit/follow', 'reader');
    expect(follow.status).toBe(200);
    const shown = bodyOf(follow).items.filter(
      (event: { target: { id: string } }) => event.target.id === keyId,
    );
    expect(shown).toEqual([]);
  });

  it('GET /audit?targetId= answers the reader nothing, and the owner every event of the key', async () => {
    const { call, keyId } = await aliceHasAPersonalKey();
    const asReader = await call('GET', `/audit?targetId=${keyId}`, 'reader');
    expect(asReader.status).toBe(200);
    expect(bodyOf(asReader).items).toEqual([]);
    const asOwner = await call('GET', `/audit?targetId=${keyId}`, 'alice');
    expect(bodyOf(asOwner).items.map((event: { action: string }) => event.action)).toEqual(['api_key.issue']);
  });

  it('a key change route answers a personal key exactly as an unknown key (404), and audits nothing', async () => {
    const { call, keyId } = await aliceHasAPersonalKey();
    const unknown = 'AAAAAAAAAAAAAAAA';
    for (const action of ['revoke', 'regenerate', 'disable', 'enable']) {
      const personal = await call('POST', `/keys/${keyId}/${action}`, 'reader', {});
      const missing = await call('POST', `/keys/${unknown}/${action}`, 'reader', {});
      expect({ action, status: personal.status, code: bodyOf(personal).code }).toEqual({
        action,
        status: missing.status,
        code: bodyOf(missing).code,
      });
    }
    const patched = await call('PATCH', `/keys/${keyId}`, 'reader', { name: 'x' });
    expect(patched.status).toBe(404);
    // Probing someone's personal key leaves no "denied" event naming it in the trail.
    const audit = await call('GET', '/audit?workspaceId=w_sales', 'alice');
    const probes = bodyOf(audit).items.filter(
      (event: { actor: { id: string } }) => event.actor.id === 'u_reader',
    );
    expect(probes).toEqual([]);
  });
});
