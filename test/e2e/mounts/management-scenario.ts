import { expect } from 'vitest';
import type { LooseJson, ScenarioClient } from './scenario-client.js';
import { BASE_PATH } from './scenario-world.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

/** The problem `code` and status of an answer, for one-line assertions. */
const outcome = (exchange: { status: number; json: LooseJson }) => [exchange.status, exchange.json.code];

/** A person creates three accounts (two with a first key) and lists them page by page. */
async function createAndList(client: ScenarioClient) {
  const created = await client.send('create with first key', 'POST', '/service-accounts', {
    json: {
      workspaceId: 'w_sales',
      name: 'ETL pipeline',
      description: 'Nightly loads',
      roles: ['analyst'],
      firstKey: { name: 'ci' },
    },
  });
  expect(created.status).toBe(201);
  const etl = created.json.account;
  expect(created.headers).toMatchObject({ etag: '"1"', location: `${BASE_PATH}/service-accounts/${etl.id}` });
  expect(created.json.key.token).toMatch(/^acme_/);
  const reporting = await client.send('create second', 'POST', '/service-accounts', {
    json: { workspaceId: 'w_sales', name: 'Reporting', roles: ['viewer'] },
  });
  expect(reporting.status).toBe(201);
  const bot = await client.send('create admin bot', 'POST', '/service-accounts', {
    json: { workspaceId: 'w_sales', name: 'Ops bot', roles: ['admin'], firstKey: { name: 'ops' } },
  });
  expect(bot.status).toBe(201);

  const first = await client.send('list page 1', 'GET', '/service-accounts?workspaceId=w_sales&limit=2');
  expect(first.json.items).toHaveLength(2);
  const cursor = first.json.nextCursor as string;
  const second = await client.send(
    'list page 2',
    'GET',
    `/service-accounts?workspaceId=w_sales&limit=2&cursor=${cursor}`,
  );
  const names = [...first.json.items, ...second.json.items].map((account: LooseJson) => account.name);
  expect(names.sort()).toEqual(['ETL pipeline', 'Ops bot', 'Reporting']);
  expect(second.json.nextCursor).toBeNull();
  return {
    etl,
    etlToken: created.json.key.token as string,
    reporting: reporting.json.account.id as string,
    botToken: bot.json.key.token as string,
  };
}

/** A person reads and edits an account under `If-Match`: fields, dataset access, status. */
async function editAccount(client: ScenarioClient, etl: LooseJson) {
  const path = `/service-accounts/${etl.id}`;
  const read = await client.send('get', 'GET', path);
  expect([read.status, read.headers.etag, read.json]).toEqual([200, '"1"', etl]);
  const updated = await client.send('update with If-Match', 'PATCH', path, {
    json: { name: 'ETL pipeline (prod)', contactEmail: 'data@acme.test' },
    headers: ifMatch(1),
  });
  expect([updated.status, updated.headers.etag, updated.json.name]).toEqual([
    200,
    '"2"',
    'ETL pipeline (prod)',
  ]);
  const stale = await client.send('update with a stale If-Match', 'PATCH', path, {
    json: { name: 'Lost update' },
    headers: ifMatch(1),
  });
  expect(outcome(stale)).toEqual([412, 'precondition_failed']);

  const datasets = await client.send('set datasets', 'PUT', `${path}/datasets`, {
    json: { datasetAccess: { mode: 'selected', datasetIds: ['d_orders', 'd_leads'] } },
    headers: ifMatch(2),
  });
  expect(datasets.json.datasetAccess).toEqual({ mode: 'selected', datasetIds: ['d_orders', 'd_leads'] });
  const granted = await client.send('grant datasets', 'POST', `${path}/datasets/grant`, {
    json: { datasetIds: ['d_customers'] },
  });
  expect(granted.json.datasetAccess.datasetIds).toHaveLength(3);
  const revoked = await client.send('revoke datasets', 'POST', `${path}/datasets/revoke`, {
    json: { datasetIds: ['d_leads'] },
    headers: ifMatch(4),
  });
  expect([revoked.headers.etag, revoked.json.datasetAccess.datasetIds.sort()]).toEqual([
    '"5"',
    ['d_customers', 'd_orders'],
  ]);
  const disabled = await client.send('disable', 'POST', `${path}/disable`);
  expect(disabled.json.status).toBe('disabled');
  const enabled = await client.send('enable', 'POST', `${path}/enable`, { headers: ifMatch(6) });
  expect([enabled.json.status, enabled.headers.etag]).toEqual(['active', '"7"']);
}

/**
 * A person issues a second key (expiring in a day, so a sweep notifies it), lists and reads it,
 * regenerates its secret, revokes it, and makes a successor the creator of the account's keys.
 */
async function keyLifecycle(client: ScenarioClient, account: string) {
  const path = `/service-accounts/${account}`;
  const issued = await client.send('issue key', 'POST', `${path}/keys`, {
    json: { name: 'rotation', expiresInSeconds: 86_400 },
  });
  const keyId = issued.json.key.id as string;
  expect([issued.status, issued.headers.location]).toEqual([201, `${BASE_PATH}/keys/${keyId}`]);
  const swept = await client.send('sweep keys', 'POST', '/keys/sweep', { json: { workspaceId: 'w_sales' } });
  expect([swept.status, swept.json]).toEqual([
    200,
    { disabled: 0, revoked: 0, notified: 1, scanned: 1, more: false },
  ]);
  const keys = await client.send('list keys', 'GET', `${path}/keys?limit=10`);
  expect(keys.json.items.map((key: LooseJson) => key.name).sort()).toEqual(['ci', 'rotation']);
  const key = await client.send('get key', 'GET', `/keys/${keyId}`);
  expect(key.json).toMatchObject({ id: keyId, name: 'rotation', status: 'active' });
  const regenerated = await client.send('regenerate key', 'POST', `/keys/${keyId}/regenerate`, {
    json: { gracePeriodSeconds: 0 },
  });
  expect(regenerated.json.key.id).toBe(keyId);
  expect(regenerated.json.token).not.toBe(issued.json.token);
  await keyChanges(client, keyId);
  const revokedKey = await client.send('revoke key', 'POST', `/keys/${keyId}/revoke`);
  expect(revokedKey.json.status).toBe('revoked');
  const reassigned = await client.send('reassign keys', 'POST', `${path}/keys/reassign`, {
    json: { to: { type: 'user', id: 'u_successor' } },
  });
  expect(reassigned.json.keys.map((key: LooseJson) => [key.name, key.createdBy.id])).toEqual([
    ['ci', 'u_successor'],
  ]);
  const enableRevoked = await client.send('enable a revoked key', 'POST', `/keys/${keyId}/enable`);
  expect(outcome(enableRevoked)).toEqual([409, 'invalid_state']);
}

/** A person narrows, disables and enables a key and queries the tenant's keys; each has a refusal. */
async function keyChanges(client: ScenarioClient, keyId: string) {
  const updated = await client.send('update key', 'PATCH', `/keys/${keyId}`, {
    json: { name: 'rotation (read only)', scopes: ['datasets:read'], metadata: { ticket: 'OPS-1' } },
  });
  expect([updated.status, updated.json.scopes, updated.json.metadata]).toEqual([
    200,
    ['datasets:read'],
    { ticket: 'OPS-1' },
  ]);
  const widened = await client.send('widen key scopes', 'PATCH', `/keys/${keyId}`, {
    json: { scopes: ['datasets:*'] },
  });
  expect(outcome(widened)).toEqual([400, 'invalid_input']);
  expect(widened.json.errors.map((error: LooseJson) => error.pointer)).toEqual(['#/scopes', '#/scopes']);
  const disabled = await client.send('disable key', 'POST', `/keys/${keyId}/disable`);
  expect([disabled.status, disabled.json.status]).toEqual([200, 'disabled']);
  const readerDisables = await client.send('reader disables key', 'POST', `/keys/${keyId}/disable`, {
    as: 'reader',
  });
  expect(readerDisables.status).toBe(403);
  const enabled = await client.send('enable key', 'POST', `/keys/${keyId}/enable`);
  expect([enabled.status, enabled.json.status, enabled.json.disabledAt]).toEqual([200, 'active', null]);
  const queried = await client.send('query keys', 'GET', '/keys?status=active&environment=live&limit=2');
  expect([queried.status, queried.json.items.length, typeof queried.json.nextCursor]).toEqual([
    200,
    2,
    'string',
  ]);
  const badQuery = await client.send('query keys by an unknown status', 'GET', '/keys?status=lost');
  expect(outcome(badQuery)).toEqual([400, 'invalid_input']);
}

/** A person reads the audit trail, the catalog, sample code; anyone reads the OpenAPI document. */
async function readAround(client: ScenarioClient, account: string) {
  const audit = await client.send('audit list', 'GET', `/audit?targetId=${account}&limit=3`);
  expect([audit.status, audit.json.items.length, typeof audit.json.nextCursor]).toEqual([200, 3, 'string']);
  expect(audit.json.items[0].request).toMatchObject({ ip: '127.0.0.1' });
  const followed = await client.send('audit follow', 'GET', '/audit/follow?limit=100');
  expect(followed.json.items.length).toBeGreaterThanOrEqual(12);
  const catalog = await client.send('catalog', 'GET', '/catalog?workspaceId=w_sales');
  const roles = catalog.json.roles.map((role: LooseJson) => role.name);
  expect(roles).toContain('analyst');
  expect(roles).not.toContain('owner');
  const sample = await client.send(
    'sample code',
    'GET',
    `/service-accounts/${account}/sample-code?language=curl&path=/datasets/d_orders`,
  );
  expect(sample.json.code).toContain('https://api.acme.test/workspaces/w_sales/datasets/d_orders');
  expect(sample.json.code).toContain('YOUR_API_KEY');
  const openapi = await client.send('openapi document', 'GET', '/openapi.json', { as: null });
  expect([openapi.status, openapi.json.openapi]).toEqual([200, expect.stringMatching(/^3\.1\./)]);
}

/** An API key acts within its own rights (an admin key of w_sales), and is refused beyond them. */
async function keysAct(client: ScenarioClient, botToken: string, scopedToken: string) {
  const asBot = { as: null, headers: bearer(botToken) };
  const listed = await client.send('key lists', 'GET', '/service-accounts', asBot);
  expect([listed.status, listed.json.items.length]).toEqual([200, 3]);
  const made = await client.send('key creates', 'POST', '/service-accounts', {
    ...asBot,
    json: { workspaceId: 'w_sales', name: 'Made by a key', roles: ['viewer'] },
  });
  expect([made.status, made.json.account.createdBy.type]).toEqual([201, 'key']);
  const elsewhere = await client.send('key outside its workspace', 'POST', '/service-accounts', {
    ...asBot,
    json: { workspaceId: 'w_ops', name: 'Elsewhere', roles: ['viewer'] },
  });
  expect(outcome(elsewhere)).toEqual([403, 'outside_workspace_binding']);
  const scoped = await client.send('dataset-scoped key', 'GET', '/service-accounts', {
    as: null,
    headers: bearer(scopedToken),
  });
  expect(outcome(scoped)).toEqual([403, 'dataset_scoped_account']);
}

/** A person issues, lists and revokes their own key; beyond their rights is refused; an admin lists them all. */
async function personalKeys(client: ScenarioClient) {
  const issued = await client.send('issue own key', 'POST', '/me/keys', {
    as: 'reader',
    json: { workspaceId: 'w_sales', name: 'my laptop', scopes: ['datasets:read'] },
  });
  expect([issued.status, issued.headers.location]).toEqual([200, undefined]);
  expect(issued.json.key.createdBy).toEqual({ type: 'user', id: 'u_reader' });
  const keyId = issued.json.key.id as string;
  const beyond = await client.send('own key beyond own rights', 'POST', '/me/keys', {
    as: 'reader',
    json: { workspaceId: 'w_sales', name: 'too much', scopes: ['datasets:write'] },
  });
  expect(outcome(beyond)).toEqual([403, 'exceeds_creator_rights']);
  const mine = await client.send('list own keys', 'GET', '/me/keys?workspaceId=w_sales', { as: 'reader' });
  expect(mine.json.items.map((key: LooseJson) => key.id)).toEqual([keyId]);
  const all = await client.send('admin lists personal keys', 'GET', '/personal-keys?workspaceId=w_sales');
  expect(all.json.items.map((key: LooseJson) => key.id)).toEqual([keyId]);
  const revoked = await client.send('revoke own key', 'POST', `/me/keys/${keyId}/revoke`, {
    as: 'reader',
    json: {},
  });
  expect([revoked.status, revoked.json.status]).toEqual([200, 'revoked']);
}

/** A person deletes an account; then every refusal the API answers, from 400 to 429. */
async function deleteAndRefusals(client: ScenarioClient, etl: string, reporting: string) {
  const deleted = await client.send('delete', 'DELETE', `/service-accounts/${reporting}`, {
    headers: ifMatch(1),
  });
  expect([deleted.status, deleted.body]).toEqual([204, '']);
  expect((await client.send('get deleted', 'GET', `/service-accounts/${reporting}`)).status).toBe(404);

  const invalid = await client.send('invalid input', 'POST', '/service-accounts', {
    json: { workspaceId: 'bad workspace!', name: '', roles: [] },
  });
  expect(outcome(invalid)).toEqual([400, 'invalid_input']);
  expect(invalid.json.errors.map((error: LooseJson) => error.pointer)).toContain('#/workspaceId');
  const malformed = await client.send('malformed JSON', 'POST', '/service-accounts', {
    body: '{"name": ',
    headers: { 'content-type': 'application/json' },
  });
  expect(outcome(malformed)).toEqual([400, 'malformed_json']);
  const anonymous = await client.send('no session, no key', 'GET', '/service-accounts', { as: null });
  expect([anonymous.status, anonymous.headers['www-authenticate']]).toEqual([401, 'Bearer realm="api"']);
  const reader = await client.send('reader creates', 'POST', '/service-accounts', {
    as: 'reader',
    json: { workspaceId: 'w_sales', name: 'Not allowed', roles: ['viewer'] },
  });
  expect(reader.status).toBe(403);
  const foreign = await client.send('other tenant', 'GET', `/service-accounts/${etl}`, { as: 'globex' });
  expect(outcome(foreign)).toEqual([404, 'not_found']);
  const unknown = await client.send('unknown path', 'GET', '/nope');
  expect(outcome(unknown)).toEqual([404, 'not_found']);
  const method = await client.send('wrong method', 'PUT', '/service-accounts');
  expect([method.status, method.headers.allow]).toEqual([405, 'POST, GET']);
  const large = await client.send('body too large', 'POST', '/service-accounts', {
    json: { workspaceId: 'w_sales', name: 'x'.repeat(70_000), roles: ['viewer'] },
  });
  expect(outcome(large)).toEqual([413, 'body_too_large']);
  const form = await client.send('not JSON', 'POST', '/service-accounts', {
    body: 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(outcome(form)).toEqual([415, 'unsupported_media_type']);
  const limited = await client.send('rate limited', 'GET', '/service-accounts', { as: 'flooder' });
  expect([limited.status, limited.headers['retry-after']]).toEqual([429, '30']);
}

/**
 * Runs the scenario against one mount: a person administers service accounts end to end (create
 * with a first key, list page by page, edit under `If-Match`, dataset access, disable and enable,
 * the key lifecycle, the audit trail, the catalog, sample code, the OpenAPI document), API keys
 * act within and beyond their rights, a person's own keys are issued, listed and revoked, an
 * account is deleted, then every refusal is provoked.
 */
export async function runManagementScenario(client: ScenarioClient): Promise<void> {
  const { etl, etlToken, reporting, botToken } = await createAndList(client);
  await editAccount(client, etl);
  await keyLifecycle(client, etl.id);
  await readAround(client, etl.id);
  await keysAct(client, botToken, etlToken);
  await personalKeys(client);
  await deleteAndRefusals(client, etl.id, reporting);
}
