import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeySchema } from '../../../src/entities/api-key.js';
import { createTokenHasher, generateKey, parseToken } from '../../../src/keys/index.js';

const hasher = createTokenHasher();

describe('generateKey', () => {
  it('returns a parseable token whose digest matches, plus id, version, pepper and start', () => {
    const key = generateKey({ prefix: 'acme', hasher });
    expect(key.keyId).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(key.token).toMatch(new RegExp(`^acme_${key.keyId}_[0-9A-Za-z]{49}$`));
    expect(parseToken(key.token, { prefix: 'acme' })).toEqual({
      ok: true,
      keyId: key.keyId,
      token: key.token,
    });
    expect(key.hash).toBe(createHash('sha256').update(key.token).digest('hex'));
    expect(key.hashVersion).toBe(1);
    expect(key.pepperId).toBeNull();
    expect(hasher.matches(key.token, key)).toBe(true);
  });

  it('sets start to the prefix, key id and the first 4 secret characters', () => {
    const key = generateKey({ prefix: 'acme_live', hasher });
    expect(key.start).toBe(key.token.slice(0, 'acme_live_'.length + 16 + 1 + 4));
    expect(key.start).toMatch(new RegExp(`^acme_live_${key.keyId}_[0-9A-Za-z]{4}$`));
  });

  it('gives fields the stored key schema accepts', () => {
    const key = generateKey({
      prefix: 'acme',
      hasher: createTokenHasher({ pepper: { id: 'p1', secret: 'x'.repeat(32) } }),
    });
    const shape = apiKeySchema.pick({ id: true, hash: true, hashVersion: true, pepperId: true, start: true });
    const stored = {
      id: key.keyId,
      hash: key.hash,
      hashVersion: key.hashVersion,
      pepperId: key.pepperId,
      start: key.start,
    };
    expect(shape.safeParse(stored).success).toBe(true);
    expect(key.pepperId).toBe('p1');
  });

  it('regenerate keeps the key id and changes the secret', () => {
    const first = generateKey({ prefix: 'acme', hasher });
    const again = generateKey({ prefix: 'acme', hasher, keyId: first.keyId });
    expect(again.keyId).toBe(first.keyId);
    expect(again.token).not.toBe(first.token);
    expect(hasher.matches(first.token, again)).toBe(false);
  });

  it('gives a fresh key id and secret on each call', () => {
    const keys = Array.from({ length: 200 }, () => generateKey({ prefix: 'acme', hasher }));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(200);
    expect(new Set(keys.map((k) => k.token)).size).toBe(200);
  });

  it('honours a secret length and refuses one under 128 bits', () => {
    const key = generateKey({ prefix: 'acme', hasher, secretLength: 22 });
    expect(parseToken(key.token, { prefix: 'acme', secretLength: 22 }).ok).toBe(true);
    expect(() => generateKey({ prefix: 'acme', hasher, secretLength: 21 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it('refuses a bad prefix with INVALID_CONFIG and a bad key id with INVALID_INPUT', () => {
    expect(() => generateKey({ prefix: 'Acme', hasher })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => generateKey({ prefix: 'acme', hasher, keyId: 'too-short' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
