import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeHasher } from '../../../adapters/node/index.js';
import {
  createTokenHasher,
  formatToken,
  HASH_VERSION_HMAC_SHA256,
  HASH_VERSION_SHA256,
  type Hasher,
  type TokenDigest,
} from '../../../src/keys/index.js';
import { SAMPLE_KEY_ID, SAMPLE_SECRET } from './token-reference.js';

const TOKEN = formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET });
const OTHER = formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET.replace('z', 'y') });
const PEPPER_1 = { id: 'p1', secret: 'first-pepper-0123456789-0123456789' };
const PEPPER_2 = { id: 'p2', secret: new Uint8Array(32).fill(9) };

describe('createTokenHasher without a pepper', () => {
  const tokens = createTokenHasher();

  it('stores SHA-256 of the token as lowercase hex, version 1, no pepper id', () => {
    expect(tokens.hashVersion).toBe(HASH_VERSION_SHA256);
    expect(tokens.pepperId).toBeNull();
    expect(tokens.hasherName).toBe('noble');
    expect(tokens.hash(TOKEN)).toEqual({
      hash: createHash('sha256').update(TOKEN).digest('hex'),
      hashVersion: 1,
      pepperId: null,
    });
  });

  it('matches the right token and rejects any other', () => {
    const stored = tokens.hash(TOKEN);
    expect(tokens.matches(TOKEN, stored)).toBe(true);
    expect(tokens.matches(OTHER, stored)).toBe(false);
    expect(tokens.matches('', stored)).toBe(false);
  });

  it('answers false for a version 2 digest it has no pepper for', () => {
    const peppered = createTokenHasher({ pepper: PEPPER_1 }).hash(TOKEN);
    expect(tokens.matches(TOKEN, peppered)).toBe(false);
  });
});

describe('createTokenHasher with a pepper', () => {
  const tokens = createTokenHasher({ pepper: PEPPER_1 });

  it('stores HMAC-SHA256 under the pepper, version 2, with the pepper id', () => {
    expect(tokens.hashVersion).toBe(HASH_VERSION_HMAC_SHA256);
    expect(tokens.pepperId).toBe('p1');
    expect(tokens.hash(TOKEN)).toEqual({
      hash: createHmac('sha256', PEPPER_1.secret).update(TOKEN).digest('hex'),
      hashVersion: 2,
      pepperId: 'p1',
    });
  });

  it('still verifies plain SHA-256 digests made before the pepper, unless told not to', () => {
    const plain = createTokenHasher().hash(TOKEN);
    expect(tokens.matches(TOKEN, plain)).toBe(true);
    const strict = createTokenHasher({ pepper: PEPPER_1, acceptUnpeppered: false });
    expect(strict.matches(TOKEN, plain)).toBe(false);
    expect(strict.matches(TOKEN, strict.hash(TOKEN))).toBe(true);
  });

  it('verifies digests of a previous pepper after rotation, and only while it is listed', () => {
    const old = tokens.hash(TOKEN);
    const rotated = createTokenHasher({ pepper: PEPPER_2, previousPeppers: [PEPPER_1] });
    expect(rotated.hash(TOKEN).pepperId).toBe('p2');
    expect(rotated.matches(TOKEN, old)).toBe(true);
    expect(rotated.matches(OTHER, old)).toBe(false);
    expect(rotated.matches(TOKEN, rotated.hash(TOKEN))).toBe(true);
    expect(createTokenHasher({ pepper: PEPPER_2 }).matches(TOKEN, old)).toBe(false);
  });

  it('uses a private copy of a byte pepper', () => {
    const bytes = new Uint8Array(32).fill(5);
    const hasher = createTokenHasher({ pepper: { id: 'b', secret: bytes } });
    const before = hasher.hash(TOKEN);
    bytes.fill(6);
    expect(hasher.hash(TOKEN)).toEqual(before);
  });

  it('counts a string pepper in UTF-8 bytes', () => {
    expect(() => createTokenHasher({ pepper: { id: 'u', secret: 'é'.repeat(16) } })).not.toThrow();
    expect(() => createTokenHasher({ pepper: { id: 'u', secret: 'e'.repeat(31) } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });
});

describe('TokenHasher.matches never throws and fails closed', () => {
  const tokens = createTokenHasher({ pepper: PEPPER_1 });
  const stored = tokens.hash(TOKEN);
  const bad: [string, unknown][] = [
    ['an unknown pepper id', { ...stored, pepperId: 'nope' }],
    ['a null pepper id on version 2', { ...stored, pepperId: null }],
    ['an unknown hash version', { ...stored, hashVersion: 3 }],
    ['hash version 0', { ...stored, hashVersion: 0 }],
    ['a string hash version', { ...stored, hashVersion: '2' }],
    ['a NaN hash version', { ...stored, hashVersion: Number.NaN }],
    ['an uppercase digest', { ...stored, hash: stored.hash.toUpperCase() }],
    [
      'a digest with one char changed',
      { ...stored, hash: (stored.hash[0] === 'a' ? 'b' : 'a') + stored.hash.slice(1) },
    ],
    [
      'a digest with the last char changed',
      { ...stored, hash: stored.hash.slice(0, 63) + (stored.hash[63] === 'a' ? 'b' : 'a') },
    ],
    ['a short digest', { ...stored, hash: stored.hash.slice(0, 63) }],
    ['a long digest', { ...stored, hash: `${stored.hash}0` }],
    ['an empty digest', { ...stored, hash: '' }],
    ['a non-string digest', { ...stored, hash: 42 }],
    ['a null record', null],
    ['a string record', 'x'],
  ];

  it.each(bad)('answers false for %s', (_label, record) => {
    expect(tokens.matches(TOKEN, record as TokenDigest)).toBe(false);
  });

  it('answers false for a non-string token', () => {
    expect(tokens.matches(42 as unknown as string, stored)).toBe(false);
    expect(tokens.matches(undefined as unknown as string, stored)).toBe(false);
  });

  it('matches with the native hasher too', () => {
    expect(createTokenHasher({ hasher: nodeHasher, pepper: PEPPER_1 }).matches(TOKEN, stored)).toBe(true);
  });
});

describe('createTokenHasher configuration', () => {
  const invalid: [string, Parameters<typeof createTokenHasher>[0]][] = [
    ['a short string pepper', { pepper: { id: 'p', secret: 'short-secret-value' } }],
    ['a short byte pepper', { pepper: { id: 'p', secret: new Uint8Array(31) } }],
    ['a pepper secret of the wrong type', { pepper: { id: 'p', secret: 123 as unknown as string } }],
    ['an empty pepper id', { pepper: { id: '', secret: PEPPER_1.secret } }],
    ['a pepper id with spaces', { pepper: { id: 'a b', secret: PEPPER_1.secret } }],
    ['a duplicate pepper id', { pepper: PEPPER_1, previousPeppers: [{ ...PEPPER_2, id: 'p1' }] }],
    ['a short previous pepper', { pepper: PEPPER_1, previousPeppers: [{ id: 'old', secret: 'tiny' }] }],
    ['previous peppers that are not an array', { previousPeppers: 'p1' as unknown as [] }],
    ['a hasher without methods', { hasher: { name: 'x' } as unknown as Hasher }],
  ];

  it.each(invalid)('refuses %s with INVALID_CONFIG', (_label, options) => {
    expect(() => createTokenHasher(options)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('never puts a pepper secret in the error', () => {
    const secret = 'do-not-leak-this-pepper';
    try {
      createTokenHasher({
        pepper: { id: 'bad id', secret },
        previousPeppers: [{ id: 'old', secret: `${secret}!` }],
      });
      expect.unreachable();
    } catch (err) {
      const shown = `${String(err)} ${JSON.stringify(err)} ${(err as Error).stack ?? ''}`;
      expect(shown).not.toContain(secret);
      expect(err).toMatchObject({ code: 'INVALID_CONFIG' });
      expect((err as { issues: unknown[] }).issues).toHaveLength(3);
    }
  });

  it('refuses to hash a non-string with INVALID_INPUT', () => {
    expect(() => createTokenHasher().hash(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
