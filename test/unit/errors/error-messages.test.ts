import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward } from '../../../src/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

/** What a log line holding only `error.message` tells its reader. */
describe('an invalid input error says what was wrong in its message', () => {
  it('names the first problem of a bad configuration', () => {
    expect(() => createKeyward({ storage: memoryAdapter(), tokenPrefix: 'Acme-Corp' })).toThrow(
      /^Invalid tokenPrefix: .*lowercase/,
    );
  });

  it('names the field and its problem, and how many more there are', async () => {
    const { kw } = setup();
    const bad = await rejection(kw.serviceAccounts.get(admin, { id: 'sa_nope' }));
    expect(bad.message).toMatch(/^Invalid service account: id: /);
    const two = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: '',
        contactEmail: 'not an address',
        roles: ['viewer'],
      }),
    );
    expect(two.message).toMatch(/^Invalid service account: name: .+ \(and 1 more\)$/);
    expect(two.issues.length).toBeGreaterThan(1);
  });
});
