import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../../src/index.js';
import { createManagementApi } from '../../../src/management-api/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: the test walks OpenAPI JSON and answer bodies
type Loose = Record<string, any>;

/**
 * A client generated from `GET <basePath>/openapi.json` sends what each operation's `security`
 * lists. An operation listing the API key schemes (`bearerApiKey: ['api_keys:manage']`) promises
 * that a key holding that permission may call it.
 */
describe('the OpenAPI security of the routes only a person may call', () => {
  it('does not offer API key schemes on routes that refuse every API key', async () => {
    const { kw } = setup({ resolveActor: async () => admin });
    const api = createManagementApi(kw, {
      basePath: '/api/keyward',
      authenticate: (request): UserActor | null =>
        (request.headers as Record<string, string>)['x-test-user'] === 'admin' ? admin : null,
    });
    const send = (method: string, path: string, headers: Record<string, string>, json?: unknown) =>
      api.handle({
        method,
        path: `/api/keyward${path}`,
        headers: { ...headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
        ip: '203.0.113.7',
      });
    const session = { 'x-test-user': 'admin' };
    // A key of an admin account: it holds api_keys:manage in w_sales.
    const created = await send('POST', '/service-accounts', session, {
      workspaceId: 'w_sales',
      name: 'automation',
      roles: ['admin'],
      firstKey: { name: 'ci' },
    });
    const token = (created.body as Loose).key.token as string;
    const me = await send('GET', '/me', { authorization: `Bearer ${token}` });
    expect((me.body as Loose).permissions).toContain('api_keys:manage');

    const document = api.openapi as Loose;
    const calls: [string, string, string, unknown?][] = [
      ['post', '/me/keys', '/me/keys', { workspaceId: 'w_sales', name: 'mine', scopes: ['datasets:read'] }],
      ['get', '/me/keys', '/me/keys?workspaceId=w_sales'],
      [
        'post',
        '/service-accounts/{id}/keys/reassign',
        `/service-accounts/${(created.body as Loose).account.id}/keys/reassign`,
        { to: { type: 'user', id: 'u_admin' } },
      ],
    ];
    for (const [method, template, path, json] of calls) {
      const operation = document.paths[`/api/keyward${template}`][method];
      const offersKeys = ((operation.security ?? []) as Loose[]).some((scheme) => 'bearerApiKey' in scheme);
      const answer = await send(method.toUpperCase(), path, { authorization: `Bearer ${token}` }, json);
      // Either the document offers no API key scheme here, or a key with the listed permission works.
      expect([operation.operationId, offersKeys ? answer.status : 'no key scheme']).toEqual([
        operation.operationId,
        offersKeys ? 200 : 'no key scheme',
      ]);
    }
  });
});
