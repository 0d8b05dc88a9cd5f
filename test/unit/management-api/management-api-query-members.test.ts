/**
 * A route that takes no query (every write, and reads such as GET /service-accounts/:id) refuses
 * query members, as it refuses unknown body members: nothing is dropped silently, and a client
 * that sends its precondition in the query (`POST .../disable?expectedVersion=1`) gets a 400, not
 * an unconditional write on a newer version.
 */
import { describe, expect, it } from 'vitest';
import { bodyOf, managementApiSetup } from '../../support/management-api-client.js';

describe('management API: a query string on a route that takes no query', () => {
  it('refuses an expectedVersion sent in the query instead of writing unconditionally', async () => {
    const { call } = managementApiSetup();
    const created = await call('POST', '/service-accounts', {
      json: { workspaceId: 'w_sales', name: 'etl', roles: ['viewer'] },
    });
    const id = bodyOf(created).account.id as string;
    const renamed = await call('PATCH', `/service-accounts/${id}`, { json: { name: 'etl v2' } });
    expect(bodyOf(renamed).version).toBe(2);

    const stale = await call('POST', `/service-accounts/${id}/disable?expectedVersion=1`);
    expect([stale.status, bodyOf(stale).code]).toEqual([400, 'invalid_input']);
    expect(bodyOf(await call('GET', `/service-accounts/${id}`)).status).toBe('active');
  });

  it('refuses an unknown query member on a write, as it refuses an unknown body member', async () => {
    const { call } = managementApiSetup();
    const answer = await call('POST', '/service-accounts?surprise=1', {
      json: { workspaceId: 'w_sales', name: 'etl', roles: ['viewer'] },
    });
    expect([answer.status, bodyOf(answer).code]).toEqual([400, 'invalid_input']);
  });
});
