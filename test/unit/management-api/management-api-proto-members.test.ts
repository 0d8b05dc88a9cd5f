import { describe, expect, it } from 'vitest';
import type { ManagementResponse } from '../../../src/management-api/management-request.js';
import { bodyOf, managementApiSetup } from '../../support/management-api-client.js';

/**
 * docs/management-api.md: "unknown members are refused, a body member may not repeat a path
 * parameter". A member named `__proto__` is one like any other: copied with `input[name] = value`
 * it would become the input's prototype (never refused, and read by the schema as if its members
 * had been sent at the top), and zod drops it from a record such as metadata without a word.
 */

async function withAccount() {
  const world = managementApiSetup();
  const created = await world.call('POST', '/service-accounts', {
    json: { workspaceId: 'w_sales', name: 'ETL', roles: ['viewer'], metadata: { team: 'data' } },
  });
  expect(created.status).toBe(201);
  const id = bodyOf(created).account.id as string;
  /** PATCHes the account with a raw JSON text (a `__proto__` member survives only as text). */
  const patch = (body: string) =>
    world.api.handle({
      method: 'PATCH',
      path: `/service-accounts/${id}`,
      headers: { 'x-test-user': 'admin', 'content-type': 'application/json' },
      body,
    });
  const stored = async () => bodyOf(await world.call('GET', `/service-accounts/${id}`));
  return { ...world, id, patch, stored };
}

/** The status, code and issue details of a refusal. */
const refusal = (answer: ManagementResponse) => ({
  status: answer.status,
  code: bodyOf(answer).code,
  details: (bodyOf(answer).errors as { detail: string }[]).map((error) => error.detail),
});

describe('management API: a member named __proto__ is refused as an unknown member', () => {
  it('refuses a body member __proto__ with 400 invalid_input naming it, and changes nothing', async () => {
    const { patch, stored } = await withAccount();
    const before = await stored();
    const answer = await patch('{"__proto__": {"roles": ["admin"]}}');
    expect(refusal(answer)).toEqual({
      status: 400,
      code: 'invalid_input',
      details: ['Unrecognized key: "__proto__"'],
    });
    expect(await stored()).toEqual(before);
  });

  it('refuses a __proto__ member repeating a path parameter, instead of dropping it', async () => {
    const { patch, stored } = await withAccount();
    const answer = await patch('{"__proto__": {"id": "sa_someoneelse00000"}, "name": "Renamed"}');
    expect(refusal(answer).status).toBe(400);
    expect((await stored()).name).toBe('ETL');
  });

  it('refuses a query member __proto__ as it refuses constructor and any other unknown one', async () => {
    const { api } = await withAccount();
    const ask = (query: string) =>
      api.handle({ method: 'GET', path: `/service-accounts?${query}`, headers: { 'x-test-user': 'admin' } });
    for (const name of ['__proto__', 'constructor', 'toString']) {
      expect(refusal(await ask(`${name}=x`))).toEqual({
        status: 400,
        code: 'invalid_input',
        details: [`Unrecognized key: "${name}"`],
      });
    }
    expect((await ask('limit=1&limit=2')).status).toBe(400);
  });

  it('refuses a metadata entry __proto__ with 400, keeping the metadata stored before', async () => {
    const { patch, stored } = await withAccount();
    const answer = await patch('{"metadata": {"__proto__": "x"}}');
    expect(refusal(answer)).toEqual({
      status: 400,
      code: 'invalid_input',
      details: ['Unrecognized key: "__proto__"'],
    });
    expect(bodyOf(answer).errors[0].pointer).toBe('#/metadata');
    expect((await stored()).metadata).toEqual({ team: 'data' });
  });

  it("refuses a metadata entry __proto__ on a key's PATCH too, keeping its metadata", async () => {
    const { api, call, id } = await withAccount();
    const issued = await call('POST', `/service-accounts/${id}/keys`, { json: { name: 'ci' } });
    const keyPath = `/keys/${bodyOf(issued).key.id}`;
    await call('PATCH', keyPath, { json: { metadata: { team: 'data' } } });
    const answer = await api.handle({
      method: 'PATCH',
      path: keyPath,
      headers: { 'x-test-user': 'admin', 'content-type': 'application/json' },
      body: '{"metadata": {"__proto__": "x", "team": "ops"}}',
    });
    expect(refusal(answer).status).toBe(400);
    expect(bodyOf(await call('GET', keyPath)).metadata).toEqual({ team: 'data' });
  });
});
