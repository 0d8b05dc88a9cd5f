import { describe, expect, it } from 'vitest';
import { KeywardError } from '../../../src/index.js';
import { createManagementApi } from '../../../src/management-api/index.js';
import type { ManagementApiOptions } from '../../../src/management-api/management-request.js';
import { admin, setup } from '../../support/keyward-fixture.js';
import { bodyOf } from '../../support/management-api-client.js';

/**
 * The answers of create (first key), issue, regenerate and `POST /me/keys` are the only ones
 * holding a token, and the key is saved before the host's `endpointsBaseUrl` is asked for the
 * sample's base URL. A hook that throws, or answers no usable URL, must then cost the sample, not
 * the token: the answer goes without `sampleCode`, the failure to `onBackgroundError`.
 */

/** A host whose endpoints are known for w_sales only (w_ops has no public API yet, say). */
const endpointsForSalesOnly = (workspaceId: string): string => {
  if (workspaceId !== 'w_sales') throw new Error(`no endpoints for ${workspaceId}`);
  return `https://api.acme.test/workspaces/${workspaceId}`;
};

const READ_OPS = { action: 'workspace:read', resource: { tenantId: 't_acme', workspaceId: 'w_ops' } };

/** A management API whose `onBackgroundError` is recorded, with an account bound to w_ops. */
async function opsAccount(
  endpointsBaseUrl: ManagementApiOptions['endpointsBaseUrl'] = endpointsForSalesOnly,
) {
  const reported: unknown[] = [];
  const { kw } = setup({
    onBackgroundError: (error) => reported.push(error),
    resolveActor: async ({ id }) => (id === admin.id ? admin : null),
  });
  const api = createManagementApi(kw, { authenticate: () => admin, endpointsBaseUrl });
  const call = (method: string, path: string, json: unknown) =>
    api.handle({
      method,
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json),
      ip: '203.0.113.7',
    });
  const created = await call('POST', '/service-accounts', {
    workspaceId: 'w_ops',
    name: 'Ops sync',
    roles: ['viewer'],
  });
  expect(created.status).toBe(201);
  return { kw, call, reported, id: bodyOf(created).account.id as string };
}

describe('management API: a failing endpointsBaseUrl never costs the token of a saved key', () => {
  it('answers an issue 201 with the token and no sampleCode, and reports the failure', async () => {
    const { kw, call, reported, id } = await opsAccount();
    const issued = await call('POST', `/service-accounts/${id}/keys`, { name: 'ci' });
    expect(issued.status).toBe(201);
    const body = bodyOf(issued);
    expect(body).not.toHaveProperty('sampleCode');
    expect(body.key).toMatchObject({ name: 'ci', status: 'active', workspaceId: 'w_ops' });
    expect((await kw.verify(body.token, READ_OPS)).ok).toBe(true);
    expect(reported).toHaveLength(1);
    const [report] = reported as [KeywardError];
    expect(report).toBeInstanceOf(KeywardError);
    expect(report.code).toBe('INVALID_CONFIG');
    expect(report.message).toContain('w_ops');
    expect((report.cause as Error).message).toBe('no endpoints for w_ops');
    expect(JSON.stringify({ message: report.message, cause: String(report.cause) })).not.toContain(
      body.token,
    );
  });

  it('answers a regenerate with 0 s grace with the new token, which works (the old one no longer does)', async () => {
    const { kw, call, id } = await opsAccount();
    const { key, token: oldToken } = await kw.keys.issue(admin, {
      serviceAccountId: id,
      key: { name: 'prod' },
    });
    const regenerated = await call('POST', `/keys/${key.id}/regenerate`, {});
    expect(regenerated.status).toBe(200);
    expect(bodyOf(regenerated)).not.toHaveProperty('sampleCode');
    expect(bodyOf(regenerated).key.id).toBe(key.id);
    expect((await kw.verify(bodyOf(regenerated).token, READ_OPS)).ok).toBe(true);
    expect((await kw.verify(oldToken, READ_OPS)).ok).toBe(false);
  });

  it('answers a create with a first key and POST /me/keys with their tokens, without sampleCode', async () => {
    const { kw, call, reported } = await opsAccount();
    const created = await call('POST', '/service-accounts', {
      workspaceId: 'w_ops',
      name: 'Ops nightly',
      roles: ['viewer'],
      firstKey: { name: 'ci' },
    });
    expect(created.status).toBe(201);
    expect(bodyOf(created).key).not.toHaveProperty('sampleCode');
    expect((await kw.verify(bodyOf(created).key.token, READ_OPS)).ok).toBe(true);
    const own = await call('POST', '/me/keys', { workspaceId: 'w_ops', name: 'laptop', scopes: ['*'] });
    expect(own.status).toBe(200);
    expect(bodyOf(own)).not.toHaveProperty('sampleCode');
    expect((await kw.verify(bodyOf(own).token, READ_OPS)).ok).toBe(true);
    expect(reported).toHaveLength(2); // the create without a key (opsAccount's) asked nothing
  });

  it('answers without sampleCode when the hook returns no usable URL, or onBackgroundError throws too', async () => {
    for (const answer of ['not a url', 42, 'ftp://files.acme.test/w_ops', 'https://api.acme.test/?q=1']) {
      const { kw, call, reported, id } = await opsAccount(() => answer as string);
      const issued = await call('POST', `/service-accounts/${id}/keys`, { name: 'ci' });
      expect([issued.status, bodyOf(issued).sampleCode, reported.length]).toEqual([201, undefined, 1]);
      expect((await kw.verify(bodyOf(issued).token, READ_OPS)).ok).toBe(true);
    }
    const { kw } = setup({
      onBackgroundError: () => {
        throw new Error('the logger is down too');
      },
    });
    const api = createManagementApi(kw, {
      authenticate: () => admin,
      endpointsBaseUrl: endpointsForSalesOnly,
    });
    const created = await api.handle({
      method: 'POST',
      path: '/service-accounts',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workspaceId: 'w_ops',
        name: 'Ops',
        roles: ['viewer'],
        firstKey: { name: 'ci' },
      }),
    });
    expect(created.status).toBe(201);
    expect(bodyOf(created).key.token).toMatch(/^acme_/);
  });
});
