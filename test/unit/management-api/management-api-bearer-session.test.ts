/**
 * A host whose session is a JWT sent as `Authorization: Bearer <jwt>` (the most common way to
 * send one) uses the management API like a cookie session: next to a session, only a credential
 * shaped like one of this instance's keys (`<prefix>_...`) is a second credential (400
 * `multiple_credentials`); anything else in `Authorization` is the host's.
 */
import { describe, expect, it } from 'vitest';
import { createManagementApi } from '../../../src/management-api/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

/** A stand-in HS256 JWT of the host's sign-in (header.payload.signature, base64url). */
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1X2FkbWluIiwidGVuYW50IjoidF9hY21lIn0.c2lnbmF0dXJlLW9mLXRoZS1ob3N0';

/** The host's JWT check: the person whose JWT is in `Authorization: Bearer`, or none. */
function personOfJwt(headers: unknown) {
  const value = (headers as Record<string, string>).authorization;
  return value === `Bearer ${JWT}` ? admin : null;
}

describe('management API with a host session carried as a Bearer JWT', () => {
  it('serves a person whose JWT session is in the Authorization header', async () => {
    const { kw } = setup();
    const api = createManagementApi(kw, {
      basePath: '/api/keyward',
      authenticate: (request) => personOfJwt(request.headers),
    });
    const answer = await api.handle({
      method: 'GET',
      path: '/api/keyward/service-accounts',
      headers: { authorization: `Bearer ${JWT}` },
    });
    expect([answer.status, (answer.body as { code?: string }).code]).toEqual([200, undefined]);
  });

  it('still refuses a session together with a real keyward key in Authorization', async () => {
    const { kw } = setup();
    const api = createManagementApi(kw, {
      basePath: '/api/keyward',
      authenticate: () => admin,
    });
    const created = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'ops',
      roles: ['admin'],
      firstKey: { name: 'ops' },
    });
    const answer = await api.handle({
      method: 'GET',
      path: '/api/keyward/service-accounts',
      headers: { authorization: `Bearer ${created.key?.token}` },
    });
    expect([answer.status, (answer.body as { code?: string }).code]).toEqual([400, 'multiple_credentials']);
  });
});
