import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, ERROR_CODES, type KeywardConfig, KeywardError } from '../../../src/index.js';

function configError(config: Partial<KeywardConfig>): KeywardError {
  try {
    createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', ...config } as KeywardConfig);
  } catch (error) {
    if (error instanceof KeywardError) return error;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('createKeyward configuration', () => {
  it('refuses a bad configuration at once with INVALID_CONFIG', () => {
    const cases: Partial<KeywardConfig>[] = [
      { tokenPrefix: 'Acme' },
      { tokenPrefix: '' },
      { tokenPrefix: 'acme-live' },
      { storage: {} as never },
      { maxKeysPerAccount: 0 },
      { maxKeysPerAccount: 1.5 },
      { minKeyTtl: 7200, maxKeyTtl: 3600 },
      { secretLength: 21 },
      { pepper: { id: 'p1', secret: 'too short' } },
      { roles: { admin: { grants: ['rockets:launch'] } } as never },
      { tokenPrefix: { live: 'acme', test: 'acme' } },
      { tokenPrefix: { live: 'acme', test: 'acme_test' } },
      { tokenPrefix: { live: 'acme_live' } as never },
      { tokenPrefix: { live: 'acme_live', test: 'Acme_test' } },
      { acceptEnvironments: [] },
      { acceptEnvironments: ['live', 'live'] },
      { acceptEnvironments: ['prod'] as never },
    ];
    for (const config of cases) expect(configError(config).code).toBe(ERROR_CODES.INVALID_CONFIG);
  });

  it('never puts a pepper secret into its error', () => {
    const secret = 'short-secret-value';
    const error = configError({ pepper: { id: 'p1', secret } });
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
    expect(error.message).not.toContain(secret);
  });

  it('accepts one token prefix per environment, and says which is which', () => {
    const kw = createKeyward({
      storage: memoryAdapter(),
      tokenPrefix: { live: 'acme_live', test: 'acme_test' },
      acceptEnvironments: ['live'],
    });
    expect(kw.tokenPrefix).toBe('acme_live');
    expect(kw.tokenPrefixes).toEqual({ live: 'acme_live', test: 'acme_test' });
    expect(Object.isFrozen(kw.tokenPrefixes)).toBe(true);
  });

  it('reports a bad prefix pair under tokenPrefix', () => {
    const error = configError({ tokenPrefix: { live: 'acme', test: 'acme_test' } });
    expect(error.issues?.map((issue) => issue.path.join('.'))).toEqual(['tokenPrefix.test']);
  });

  it('accepts a minimal configuration with the default catalog and roles', () => {
    const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme_live' });
    expect(kw.tokenPrefix).toBe('acme_live');
    expect(kw.policy.isAction('datasets:read')).toBe(true);
    expect(kw.policy.nonAssignableRoles(['owner', 'admin'])).toEqual(['owner']);
  });
});
