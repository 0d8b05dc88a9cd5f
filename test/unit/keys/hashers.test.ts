import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeHasher } from '../../../adapters/node/index.js';
import { createTokenHasher, generateKey, type Hasher, nobleHasher } from '../../../src/keys/index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe.each<[string, Hasher]>([
  ['noble', nobleHasher],
  ['node', nodeHasher],
])('%s hasher', (name, hasher) => {
  it('is named', () => {
    expect(hasher.name).toBe(name);
  });

  it('computes SHA-256 test vectors', () => {
    expect(hex(hasher.sha256('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(hasher.sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('computes the RFC 4231 HMAC-SHA256 test vectors', () => {
    const key1 = new Uint8Array(20).fill(0x0b);
    expect(hex(hasher.hmacSha256(key1, 'Hi There'))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    const key2 = new TextEncoder().encode('Jefe');
    expect(hex(hasher.hmacSha256(key2, 'what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    const key6 = new Uint8Array(131).fill(0xaa);
    expect(hex(hasher.hmacSha256(key6, 'Test Using Larger Than Block-Size Key - Hash Key First'))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('gives the same HMAC on repeated calls and follows a key whose bytes change', () => {
    const key = new Uint8Array(32).fill(1);
    const first = hex(hasher.hmacSha256(key, 'token'));
    expect(hex(hasher.hmacSha256(key, 'token'))).toBe(first);
    expect(hex(hasher.hmacSha256(key, 'other'))).toBe(
      createHmac('sha256', key).update('other').digest('hex'),
    );
    key[0] = 2;
    expect(hex(hasher.hmacSha256(key, 'token'))).toBe(
      createHmac('sha256', key).update('token').digest('hex'),
    );
  });

  it('reads non-ASCII data as UTF-8', () => {
    expect(hex(hasher.sha256('héllo 🔑'))).toBe(
      createHash('sha256').update('héllo 🔑', 'utf8').digest('hex'),
    );
  });
});

describe('noble and node hashers', () => {
  it('produce identical digests for generated tokens, with and without a pepper', () => {
    const pepper = { id: 'p1', secret: 'a-host-pepper-of-at-least-32-bytes!!' };
    for (const options of [{}, { pepper }]) {
      const noble = createTokenHasher({ ...options, hasher: nobleHasher });
      const node = createTokenHasher({ ...options, hasher: nodeHasher });
      for (let i = 0; i < 50; i++) {
        const key = generateKey({ prefix: 'acme', hasher: noble });
        expect(node.hash(key.token)).toEqual(noble.hash(key.token));
        expect(node.matches(key.token, key)).toBe(true);
      }
    }
  });

  it('the node hasher hex path answers like the byte path, for matches and for mismatches', () => {
    const pepper = { id: 'p1', secret: 'a-host-pepper-of-at-least-32-bytes!!' };
    expect(nodeHasher.sha256Hex?.('acme_x')).toBe(hex(nodeHasher.sha256('acme_x')));
    expect(nodeHasher.hmacSha256Hex?.(new Uint8Array(32), 'acme_x')).toBe(
      hex(nodeHasher.hmacSha256(new Uint8Array(32), 'acme_x')),
    );
    for (const options of [{}, { pepper }]) {
      const noble = createTokenHasher({ ...options, hasher: nobleHasher });
      const node = createTokenHasher({ ...options, hasher: nodeHasher });
      const key = generateKey({ prefix: 'acme', hasher: node });
      const other = generateKey({ prefix: 'acme', hasher: node });
      for (const [token, expected] of [
        [key.token, true],
        [other.token, false],
      ] as const) {
        expect(node.matches(token, key)).toBe(expected);
        expect(noble.matches(token, key)).toBe(expected);
      }
      expect(node.matches(key.token, { ...key, hash: key.hash.toUpperCase() })).toBe(false);
      expect(node.matches(key.token, { ...key, hash: key.hash.slice(1) })).toBe(false);
    }
  });
});
