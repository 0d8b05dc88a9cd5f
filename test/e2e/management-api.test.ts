/**
 * keyward's management API as each example mounts it under `/api/keyward`, seen from what a user
 * cares about: a change made there takes effect on the example's data routes at once, people and
 * keys act only within their tenant and rights, and no answer carries a secret. Every route and
 * error code of the mounts is covered by test/e2e/mounts/; this file keeps to the stories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  API,
  adminSession,
  bearer,
  createAccount,
  type ExampleServers,
  FRAMEWORKS,
  send,
  startExampleServers,
} from './example-servers.js';

const DATASET = '/workspaces/w_sales/datasets/d_orders';
const ACCOUNTS = `${API}/service-accounts`;
/** The example's `publicUrl` (see example-servers.ts): sample code names it, not the test's port. */
const PUBLIC_URL = 'https://api.acme.test';

let servers: ExampleServers;

beforeAll(async () => {
  servers = await startExampleServers();
});

afterAll(() => servers.close());

/** Status and problem code of an answer, compared as one value so a failure shows both. */
const outcome = (answer: Answer) => [answer.status, answer.json.code];

describe.each(FRAMEWORKS)('the management API of the %s example', (framework) => {
  const url = () => servers.url[framework];
  /** The status of a dataset read with `token`. */
  const readWith = async (token: string, path = DATASET) =>
    (await send(url(), 'GET', path, { headers: bearer(token) })).status;
  let alice: Record<string, string>;

  beforeAll(async () => {
    alice = await adminSession(url());
  });

  it('creates an account whose first key works at once; disable, enable and delete apply to the key', async () => {
    const created = await send(url(), 'POST', ACCOUNTS, {
      headers: alice,
      body: {
        workspaceId: 'w_sales',
        name: `etl-${framework}`,
        roles: ['viewer'],
        firstKey: { name: 'prod' },
      },
    });
    expect(created.status).toBe(201);
    const { account, key } = created.json as { account: { id: string }; key: { token: string } };
    expect(created.json).toMatchObject({
      account: { workspaceId: 'w_sales', createdBy: { type: 'user', id: 'u_alice' } },
    });
    expect(created.headers.get('location')).toBe(`${ACCOUNTS}/${account.id}`);
    expect(await readWith(key.token)).toBe(200);

    const etag = created.headers.get('etag') as string;
    const disabled = await send(url(), 'POST', `${ACCOUNTS}/${account.id}/disable`, {
      headers: { ...alice, 'if-match': etag },
    });
    expect(disabled.status).toBe(200);
    expect(await readWith(key.token)).toBe(401);
    // A write based on a stale read changes nothing.
    const stale = await send(url(), 'POST', `${ACCOUNTS}/${account.id}/enable`, {
      headers: { ...alice, 'if-match': etag },
    });
    expect(outcome(stale)).toEqual([412, 'precondition_failed']);
    expect(await readWith(key.token)).toBe(401);
    const enabled = await send(url(), 'POST', `${ACCOUNTS}/${account.id}/enable`, {
      headers: { ...alice, 'if-match': disabled.headers.get('etag') as string },
    });
    expect(enabled.status).toBe(200);
    expect(await readWith(key.token)).toBe(200);

    expect((await send(url(), 'DELETE', `${ACCOUNTS}/${account.id}`, { headers: alice })).status).toBe(204);
    expect((await send(url(), 'GET', `${ACCOUNTS}/${account.id}`, { headers: alice })).status).toBe(404);
    expect(await readWith(key.token)).toBe(401);
  });

  it('applies dataset grants to the keys at once, and refuses a dataset of another workspace with 422', async () => {
    const account = await createAccount(url(), alice, {
      name: `grants-${framework}`,
      roles: ['viewer'],
      datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
    });
    const customers = '/workspaces/w_sales/datasets/d_customers';
    const datasets = `${ACCOUNTS}/${account.id}/datasets`;
    expect(await readWith(account.token, customers)).toBe(403);

    const grant = await send(url(), 'POST', `${datasets}/grant`, {
      headers: alice,
      body: { datasetIds: ['d_customers'] },
    });
    expect(grant.json).toMatchObject({ datasetAccess: { mode: 'selected' } });
    expect(await readWith(account.token, customers)).toBe(200);

    const revoke = await send(url(), 'POST', `${datasets}/revoke`, {
      headers: alice,
      body: { datasetIds: ['d_orders'] },
    });
    expect(revoke.status).toBe(200);
    const refused = await send(url(), 'GET', DATASET, { headers: bearer(account.token) });
    expect(outcome(refused)).toEqual([403, 'dataset_not_granted']);

    const outside = await send(url(), 'POST', `${datasets}/grant`, {
      headers: alice,
      body: { datasetIds: ['d_metrics'] },
    });
    expect(outcome(outside)).toEqual([422, 'dataset_outside_binding']);

    expect(await readWith(account.token, '/workspaces/w_sales')).toBe(403);
    const all = await send(url(), 'PUT', datasets, {
      headers: alice,
      body: { datasetAccess: { mode: 'all' } },
    });
    expect(all.status).toBe(200);
    expect(await readWith(account.token, '/workspaces/w_sales')).toBe(200);
    expect(await readWith(account.token)).toBe(200);
  });

  it('issues keys up to the limit, regenerates one with a grace period keeping its id, and revokes it', async () => {
    const account = await createAccount(url(), alice, { name: `keys-${framework}`, roles: ['viewer'] });
    const keys = `${ACCOUNTS}/${account.id}/keys`;
    const second = await send(url(), 'POST', keys, { headers: alice, body: { name: 'rotation' } });
    expect(second.status).toBe(201);
    expect(await readWith(String(second.json.token))).toBe(200);
    const third = await send(url(), 'POST', keys, { headers: alice, body: { name: 'one more' } });
    expect(outcome(third)).toEqual([409, 'key_limit_reached']);

    const regenerated = await send(url(), 'POST', `${API}/keys/${account.keyId}/regenerate`, {
      headers: alice,
      body: { gracePeriodSeconds: 60 },
    });
    const fresh = regenerated.json as { key: { id: string }; token: string };
    expect(fresh.key.id).toBe(account.keyId);
    expect(fresh.token).not.toBe(account.token);
    expect(await readWith(account.token)).toBe(200);
    expect(await readWith(fresh.token)).toBe(200);
    servers.clock.now += 61_000;
    expect(await readWith(account.token)).toBe(401);
    expect(await readWith(fresh.token)).toBe(200);

    const revoked = await send(url(), 'POST', `${API}/keys/${account.keyId}/revoke`, { headers: alice });
    expect(revoked.json).toMatchObject({ id: account.keyId, status: 'revoked' });
    expect(await readWith(fresh.token)).toBe(401);
    expect(await readWith(String(second.json.token))).toBe(200);
  });

  it('records each change in the audit trail with the actor and the request facts, and never a token', async () => {
    const account = await createAccount(url(), alice, { name: `audited-${framework}`, roles: ['viewer'] });
    await send(url(), 'POST', `${ACCOUNTS}/${account.id}/disable`, {
      headers: { ...alice, 'user-agent': `e2e-agent/${framework}` },
    });
    const audit = await send(url(), 'GET', `${API}/audit?targetId=${account.id}`, { headers: alice });
    expect(audit.status).toBe(200);
    const actions = (audit.json.items as { action: string }[]).map((event) => event.action);
    expect(actions).toEqual(['service_account.disable', 'service_account.create']);
    const request = { ip: '127.0.0.1', userAgent: `e2e-agent/${framework}` };
    expect(audit.json.items).toContainEqual(
      expect.objectContaining({
        action: 'service_account.disable',
        outcome: 'success',
        actor: { type: 'user', id: 'u_alice' },
        request,
      }),
    );
    const secret = account.token.slice(account.token.lastIndexOf('_') + 1);
    for (const path of [
      `${API}/audit?targetId=${account.id}`,
      `${ACCOUNTS}/${account.id}`,
      `${ACCOUNTS}/${account.id}/keys`,
      `${API}/keys/${account.keyId}`,
    ]) {
      const answer = await send(url(), 'GET', path, { headers: alice });
      expect([path, answer.status]).toEqual([path, 200]);
      expect(answer.text).not.toContain(secret);
    }
  });

  it('writes sample code against the endpoint URL of the account workspace, with a placeholder for the key', async () => {
    const account = await createAccount(url(), alice, {
      name: `sample-${framework}`,
      roles: ['viewer'],
      datasetAccess: { mode: 'selected', datasetIds: ['d_leads'] },
    });
    const sample = `${ACCOUNTS}/${account.id}/sample-code`;
    for (const language of ['curl', 'typescript', 'python']) {
      const answer = await send(url(), 'GET', `${sample}?language=${language}&path=/datasets/d_leads`, {
        headers: alice,
      });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ language, baseUrl: `${PUBLIC_URL}/workspaces/w_sales` });
      expect(answer.json.code).toContain(`${PUBLIC_URL}/workspaces/w_sales/datasets/d_leads`);
      expect(answer.json.code).toContain('YOUR_API_KEY');
      expect(answer.text).not.toContain(account.token);
    }
    const withToken = await send(url(), 'GET', `${sample}?language=curl&token=${account.keyId}`, {
      headers: alice,
    });
    // A `token` in the URL is refused as a credential in the query, before anything else.
    expect(outcome(withToken)).toEqual([400, 'credential_in_query']);
  });

  it('answers 400 with a JSON pointer for each invalid field, and 422 for the owner role', async () => {
    const invalid = await send(url(), 'POST', ACCOUNTS, {
      headers: alice,
      body: { workspaceId: 'w_sales', name: '', roles: 'admin' },
    });
    expect(outcome(invalid)).toEqual([400, 'invalid_input']);
    const pointers = (invalid.json.errors as { pointer: string }[]).map((error) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['#/name', '#/roles']));
    const owner = await send(url(), 'POST', ACCOUNTS, {
      headers: alice,
      body: { workspaceId: 'w_sales', name: 'boss', roles: ['owner'] },
    });
    expect(outcome(owner)).toEqual([422, 'role_not_assignable']);
  });

  it('keeps people in their tenant (404 on another tenant’s ids) and within their rights (403)', async () => {
    const sales = await createAccount(url(), alice, { name: `sales-${framework}`, roles: ['viewer'] });
    const ops = await createAccount(url(), alice, { name: `ops-${framework}`, roles: ['viewer'] }, 'w_ops');

    const gina = await adminSession(url(), 'gina');
    for (const [method, path] of [
      ['GET', `${ACCOUNTS}/${sales.id}`],
      ['POST', `${ACCOUNTS}/${sales.id}/disable`],
      ['DELETE', `${ACCOUNTS}/${sales.id}`],
      ['GET', `${API}/keys/${sales.keyId}`],
      ['POST', `${API}/keys/${sales.keyId}/revoke`],
    ] as const) {
      const answer = await send(url(), method, path, { headers: gina });
      expect([method, path, ...outcome(answer)]).toEqual([method, path, 404, 'not_found']);
    }
    const ginaList = await send(url(), 'GET', ACCOUNTS, { headers: gina });
    expect(ginaList.text).not.toContain(sales.id);

    const victor = await adminSession(url(), 'victor');
    const victorList = await send(url(), 'GET', ACCOUNTS, { headers: victor });
    const listed = (victorList.json.items as { id: string }[]).map((account) => account.id);
    expect(listed).toContain(sales.id);
    expect(listed).not.toContain(ops.id);
    expect((await send(url(), 'GET', `${ACCOUNTS}/${sales.id}`, { headers: victor })).status).toBe(200);
    const elsewhere = await send(url(), 'GET', `${ACCOUNTS}/${ops.id}`, { headers: victor });
    expect(outcome(elsewhere)).toEqual([403, 'outside_workspace_binding']);
    const create = await send(url(), 'POST', ACCOUNTS, {
      headers: victor,
      body: { workspaceId: 'w_sales', name: 'nope', roles: ['viewer'] },
    });
    expect(outcome(create)).toEqual([403, 'not_granted']);
    const disable = await send(url(), 'POST', `${ACCOUNTS}/${sales.id}/disable`, { headers: victor });
    expect(outcome(disable)).toEqual([403, 'not_granted']);

    expect(await readWith(sales.token)).toBe(200);
  });

  it('lets a key holding management permissions act within them and refuses it beyond', async () => {
    const manager = await createAccount(url(), alice, { name: `manager-${framework}`, roles: ['admin'] });
    const made = await send(url(), 'POST', ACCOUNTS, {
      headers: bearer(manager.token),
      body: {
        workspaceId: 'w_sales',
        name: `made-by-key-${framework}`,
        roles: ['viewer'],
        firstKey: { name: 'first' },
      },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      account: { createdBy: { type: 'key', id: manager.keyId, serviceAccountId: manager.id } },
    });
    expect(await readWith(String((made.json.key as { token: string }).token))).toBe(200);
    const outside = await send(url(), 'POST', ACCOUNTS, {
      headers: bearer(manager.token),
      body: { workspaceId: 'w_ops', name: `elsewhere-${framework}`, roles: ['viewer'] },
    });
    expect(outcome(outside)).toEqual([403, 'outside_workspace_binding']);

    const reader = await createAccount(url(), alice, { name: `reader-${framework}`, roles: ['viewer'] });
    expect((await send(url(), 'GET', ACCOUNTS, { headers: bearer(reader.token) })).status).toBe(200);
    const denied = await send(url(), 'POST', ACCOUNTS, {
      headers: bearer(reader.token),
      body: { workspaceId: 'w_sales', name: 'nope', roles: ['viewer'] },
    });
    expect(outcome(denied)).toEqual([403, 'not_granted']);
    expect(denied.headers.get('www-authenticate')).toContain('scope="service_accounts:manage"');

    const forged = await send(url(), 'GET', ACCOUNTS, { headers: { 'x-session': 'forged' } });
    expect(outcome(forged)).toEqual([401, 'unauthenticated']);
  });
});
