import { describe, expect, it } from 'vitest';
import { isKeywardError } from '../../../src/errors/index.js';
import {
  DEFAULT_SECRET_LENGTH,
  tokenPrefixSchema,
  validateSecretLength,
  validateTokenPrefix,
} from '../../../src/keys/index.js';

describe('validateTokenPrefix', () => {
  it.each(['acme', 'acme_live', 'a', 'x9', '9acme', 'a_b_c', 'a'.repeat(32)])('accepts %s', (prefix) => {
    expect(validateTokenPrefix(prefix)).toBe(prefix);
    expect(tokenPrefixSchema.safeParse(prefix).success).toBe(true);
  });

  it.each(['', 'Acme', 'acme-live', '_acme', 'acme_', 'acme__live', 'ac me', 'acmé', 'a'.repeat(33)])(
    'refuses %j with INVALID_CONFIG',
    (prefix) => {
      expect(() => validateTokenPrefix(prefix)).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', name: 'KeywardError' }),
      );
    },
  );

  it('refuses non-strings and reports issues under tokenPrefix', () => {
    for (const value of [undefined, null, 42, {}, ['acme']]) {
      try {
        validateTokenPrefix(value);
        expect.unreachable();
      } catch (err) {
        expect(isKeywardError(err, 'INVALID_CONFIG')).toBe(true);
        if (isKeywardError(err)) expect(err.issues[0]?.path[0]).toBe('tokenPrefix');
      }
    }
  });
});

describe('validateSecretLength', () => {
  it('defaults to 43 characters (256 bits)', () => {
    expect(validateSecretLength(undefined)).toBe(DEFAULT_SECRET_LENGTH);
    expect(DEFAULT_SECRET_LENGTH).toBe(43);
  });

  it('accepts 22 to 128', () => {
    expect(validateSecretLength(22)).toBe(22);
    expect(validateSecretLength(128)).toBe(128);
  });

  it.each([21, 16, 0, -1, 129, 22.5, Number.NaN, '43', null])('refuses %j with INVALID_CONFIG', (value) => {
    expect(() => validateSecretLength(value)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
