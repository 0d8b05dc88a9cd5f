import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  bearer,
  createAccount,
  type ExampleServers,
  FRAMEWORKS,
  send,
  sendRaw,
  startExampleServers,
} from './example-servers.js';

const DATASET = '/workspaces/w_sales/datasets/d_orders';
const SA = '/workspaces/w_sales/service-accounts';

let servers: ExampleServers;

beforeAll(async () => {
  servers = await startExampleServers();
});

afterAll(() => servers.close());

describe.each(FRAMEWORKS)('the %s admin API', (framework) => {
  const url = () => servers.url[framework];
  let alice: Record<string, string>;

  beforeAll(async () => {
    alice = await adminSession(url());
  });

  it('logs humans in with the host login and refuses wrong passwords', async () => {
    expect((await send(url(), 'POST', '/login', { body: { user: 'alice', password: 'nope' } })).status).toBe(
      401,
    );
    expect((await send(url(), 'POST', '/login', { body: { user: 'nobody', password: 'x' } })).status).toBe(
      401,
    );
    const ok = await send(url(), 'POST', '/login', {
      body: { user: 'victor', password: 'victor-demo-password' },
    });
    expect(ok.json).toMatchObject({ user: { id: 'u_victor', tenantId: 't_acme' } });
  });

  it('creates, reads, lists, updates, disables, enables and deletes an account', async () => {
    const name = `etl-${framework}`;
    const created = await send(url(), 'POST', SA, {
      headers: alice,
      body: { name, roles: ['viewer'], contactEmail: 'etl@acme.test', firstKey: { name: 'prod' } },
    });
    expect(created.status).toBe(201);
    const { account, key } = created.json as {
      account: { id: string; version: number };
      key: { token: string };
    };
    expect(created.json).toMatchObject({
      account: { workspaceId: 'w_sales', createdBy: { type: 'user', id: 'u_alice' } },
    });
    const token = key.token;

    const got = await send(url(), 'GET', `${SA}/${account.id}`, { headers: alice });
    expect(got.json).toMatchObject({ id: account.id, name });
    const listed = await send(url(), 'GET', `${SA}?status=active&limit=100`, { headers: alice });
    expect((listed.json.items as { id: string }[]).map((a) => a.id)).toContain(account.id);
    const keys = await send(url(), 'GET', `${SA}/${account.id}/keys`, { headers: alice });
    expect(keys.status).toBe(200);
    expect(keys.text).not.toContain(token);

    const renamed = await send(url(), 'PATCH', `${SA}/${account.id}`, {
      headers: alice,
      body: { name: `${name}-v2`, expectedVersion: account.version },
    });
    expect(renamed.json).toMatchObject({ name: `${name}-v2`, version: account.version + 1 });
    const stale = await send(url(), 'PATCH', `${SA}/${account.id}`, {
      headers: alice,
      body: { name: 'stale', expectedVersion: account.version },
    });
    expect([stale.status, stale.json.code]).toEqual([409, 'conflict']);

    expect((await send(url(), 'POST', `${SA}/${account.id}/disable`, { headers: alice })).status).toBe(200);
    expect((await send(url(), 'GET', DATASET, { headers: bearer(token) })).status).toBe(401);
    expect((await send(url(), 'POST', `${SA}/${account.id}/enable`, { headers: alice })).status).toBe(200);
    expect((await send(url(), 'GET', DATASET, { headers: bearer(token) })).status).toBe(200);

    expect((await send(url(), 'DELETE', `${SA}/${account.id}`, { headers: alice })).status).toBe(204);
    expect((await send(url(), 'GET', `${SA}/${account.id}`, { headers: alice })).status).toBe(404);
    expect((await send(url(), 'GET', DATASET, { headers: bearer(token) })).status).toBe(401);
  });

  it('changes dataset grants, which apply at once to the keys', async () => {
    const account = await createAccount(url(), alice, {
      name: `grants-${framework}`,
      roles: ['viewer'],
      datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
    });
    const customers = '/workspaces/w_sales/datasets/d_customers';
    expect((await send(url(), 'GET', customers, { headers: bearer(account.token) })).json.code).toBe(
      'dataset_not_granted',
    );
    const grant = await send(url(), 'POST', `${SA}/${account.id}/datasets/grant`, {
      headers: alice,
      body: { datasetIds: ['d_customers'] },
    });
    expect(grant.status).toBe(200);
    expect((await send(url(), 'GET', customers, { headers: bearer(account.token) })).status).toBe(200);
    const outside = await send(url(), 'POST', `${SA}/${account.id}/datasets/grant`, {
      headers: alice,
      body: { datasetIds: ['d_metrics'] },
    });
    expect([outside.status, outside.json.code]).toEqual([422, 'dataset_outside_binding']);
    const all = await send(url(), 'PUT', `${SA}/${account.id}/datasets`, {
      headers: alice,
      body: { datasetAccess: { mode: 'all' } },
    });
    expect(all.status).toBe(200);
    expect((await send(url(), 'GET', '/workspaces/w_sales', { headers: bearer(account.token) })).status).toBe(
      200,
    );
  });

  it('issues keys up to the limit, regenerates with a grace period and revokes', async () => {
    const account = await createAccount(url(), alice, { name: `keys-${framework}`, roles: ['viewer'] });
    const second = await send(url(), 'POST', `${SA}/${account.id}/keys`, {
      headers: alice,
      body: { name: 'rotation' },
    });
    expect(second.status).toBe(201);
    const third = await send(url(), 'POST', `${SA}/${account.id}/keys`, {
      headers: alice,
      body: { name: 'one more' },
    });
    expect([third.status, third.json.code]).toEqual([409, 'key_limit_reached']);

    const regenerated = await send(url(), 'POST', `/workspaces/w_sales/keys/${account.keyId}/regenerate`, {
      headers: alice,
      body: { gracePeriodSeconds: 60 },
    });
    const fresh = regenerated.json as { key: { id: string }; token: string };
    expect(fresh.key.id).toBe(account.keyId);
    expect(fresh.token).not.toBe(account.token);
    expect((await send(url(), 'GET', DATASET, { headers: bearer(account.token) })).status).toBe(200);
    servers.clock.now += 61_000;
    expect((await send(url(), 'GET', DATASET, { headers: bearer(account.token) })).status).toBe(401);
    expect((await send(url(), 'GET', DATASET, { headers: bearer(fresh.token) })).status).toBe(200);

    const revoked = await send(url(), 'POST', `/workspaces/w_sales/keys/${account.keyId}/revoke`, {
      headers: alice,
    });
    expect(revoked.json).toMatchObject({ id: account.keyId, status: 'revoked' });
    expect((await send(url(), 'GET', DATASET, { headers: bearer(fresh.token) })).status).toBe(401);
  });

  it('records every change in the audit trail, with actor and request facts', async () => {
    const account = await createAccount(url(), alice, { name: `audited-${framework}`, roles: ['viewer'] });
    await send(url(), 'POST', `${SA}/${account.id}/disable`, {
      headers: { ...alice, 'user-agent': 'e2e-agent', 'x-request-id': `req-${framework}` },
    });
    const audit = await send(url(), 'GET', `/workspaces/w_sales/audit?targetId=${account.id}`, {
      headers: alice,
    });
    const actions = (audit.json.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['service_account.create', 'service_account.disable']));
    expect(audit.json.items).toContainEqual(
      expect.objectContaining({
        action: 'service_account.disable',
        actor: { type: 'user', id: 'u_alice' },
        request: expect.objectContaining({ userAgent: 'e2e-agent', requestId: `req-${framework}` }),
      }),
    );
    expect(audit.text).not.toContain(account.token);
  });

  it('records header values HTTP allows but keyward refuses (tab, C1 bytes) as U+FFFD, not as a 400', async () => {
    const account = await createAccount(url(), alice, { name: `odd-agent-${framework}`, roles: ['viewer'] });
    const disabled = await sendRaw(
      url(),
      `${SA}/${account.id}/disable`,
      {
        ...alice,
        'user-agent': 'agent\tv1',
        'x-request-id': 'req\x85id',
      },
      'POST',
    );
    expect(disabled.status).toBe(200);
    const audit = await send(
      url(),
      'GET',
      `/workspaces/w_sales/audit?targetId=${account.id}&action=service_account.disable`,
      {
        headers: alice,
      },
    );
    expect(audit.json.items).toEqual([
      expect.objectContaining({
        request: expect.objectContaining({ userAgent: 'agent\uFFFDv1', requestId: 'req\uFFFDid' }),
      }),
    ]);
  });

  it('writes sample code against the account workspace in curl, TypeScript and Python', async () => {
    const account = await createAccount(url(), alice, {
      name: `sample-${framework}`,
      roles: ['viewer'],
      datasetAccess: { mode: 'selected', datasetIds: ['d_leads'] },
    });
    for (const language of ['curl', 'typescript', 'python']) {
      const answer = await send(url(), 'POST', `${SA}/${account.id}/sample-code`, {
        headers: alice,
        body: { language, token: account.token },
      });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        language,
        baseUrl: `${url()}/workspaces/w_sales`,
        path: '/datasets/d_leads',
      });
      expect(answer.json.code).toContain(`${url()}/workspaces/w_sales/datasets/d_leads`);
      expect(answer.json.code).toContain(account.token);
    }
    const bad = await send(url(), 'POST', `${SA}/${account.id}/sample-code`, {
      headers: alice,
      body: { language: 'cobol' },
    });
    expect([bad.status, bad.json.code]).toEqual([400, 'invalid_input']);
  });

  it('answers 400 with every validation issue, and 422 for the non-assignable owner role', async () => {
    const invalid = await send(url(), 'POST', SA, {
      headers: alice,
      body: { name: '', roles: 'admin', extra: 1 },
    });
    expect([invalid.status, invalid.json.code]).toEqual([400, 'invalid_input']);
    const pointers = (invalid.json.errors as { pointer: string }[]).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['#/name', '#/roles']));
    const owner = await send(url(), 'POST', SA, { headers: alice, body: { name: 'boss', roles: ['owner'] } });
    expect([owner.status, owner.json.code]).toEqual([422, 'role_not_assignable']);
  });

  it('keeps humans in their tenant and their rights', async () => {
    const gina = await adminSession(url(), 'gina');
    const victor = await adminSession(url(), 'victor');
    const cross = await send(url(), 'GET', SA, { headers: gina });
    expect(cross.status).toBe(404);
    expect((await send(url(), 'GET', SA, { headers: victor })).status).toBe(200);
    const refused = await send(url(), 'POST', SA, {
      headers: victor,
      body: { name: 'nope', roles: ['viewer'] },
    });
    expect([refused.status, refused.json.code]).toEqual([403, 'not_granted']);
    const elsewhere = await send(url(), 'GET', '/workspaces/w_ops/service-accounts', { headers: victor });
    expect(elsewhere.status).toBe(403);
    const account = await createAccount(url(), alice, { name: `placed-${framework}`, roles: ['viewer'] });
    const wrongWorkspace = await send(url(), 'GET', `/workspaces/w_ops/service-accounts/${account.id}`, {
      headers: alice,
    });
    expect(wrongWorkspace.status).toBe(404);
  });

  it('lets a key with management rights act within them, and refuses other keys', async () => {
    const manager = await createAccount(url(), alice, { name: `manager-${framework}`, roles: ['admin'] });
    const made = await send(url(), 'POST', SA, {
      headers: bearer(manager.token),
      body: { name: `made-by-key-${framework}`, roles: ['viewer'] },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ account: { createdBy: { type: 'key', id: manager.keyId } } });
    const outside = await send(url(), 'GET', '/workspaces/w_ops/service-accounts', {
      headers: bearer(manager.token),
    });
    expect([outside.status, outside.json.code]).toEqual([403, 'outside_workspace_binding']);
    const reader = await createAccount(url(), alice, { name: `reader-${framework}`, roles: ['viewer'] });
    const denied = await send(url(), 'POST', SA, {
      headers: bearer(reader.token),
      body: { name: 'nope', roles: ['viewer'] },
    });
    expect([denied.status, denied.json.code]).toEqual([403, 'not_granted']);
    const both = await send(url(), 'GET', SA, { headers: { ...alice, ...bearer(manager.token) } });
    expect([both.status, both.json.code]).toEqual([400, 'multiple_credentials']);
    const badSession = await send(url(), 'GET', SA, { headers: { 'x-session': 'forged' } });
    expect(badSession.status).toBe(401);
  });
});
