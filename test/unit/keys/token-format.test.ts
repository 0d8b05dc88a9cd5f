import { describe, expect, it } from 'vitest';
import { formatToken, tokenLength } from '../../../src/keys/index.js';
import { referenceChecksum, SAMPLE_KEY_ID, SAMPLE_SECRET } from './token-reference.js';

describe('formatToken', () => {
  it('writes <prefix>_<keyId>_<secret><crc> with a 6-char base62 CRC-32 of everything before it', () => {
    const token = formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET });
    const body = `acme_${SAMPLE_KEY_ID}_${SAMPLE_SECRET}`;
    expect(token).toBe(body + referenceChecksum(body));
    expect(token).toHaveLength(71);
    expect(tokenLength('acme', 43)).toBe(71);
  });

  it('left-pads small checksums with 0', () => {
    // Search a secret whose CRC is below 62^5, so the checksum starts with '0'.
    let secret = SAMPLE_SECRET;
    for (let i = 0; i < 100_000; i++) {
      secret = `${SAMPLE_SECRET.slice(0, 38)}${i.toString().padStart(5, '0')}`;
      if (referenceChecksum(`acme_${SAMPLE_KEY_ID}_${secret}`).startsWith('0')) break;
    }
    const token = formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret });
    expect(token.slice(-6)).toMatch(/^0/);
    expect(token).toHaveLength(71);
  });

  it('supports prefixes with underscores and other secret lengths', () => {
    const token = formatToken({
      prefix: 'acme_live',
      keyId: SAMPLE_KEY_ID,
      secret: SAMPLE_SECRET.slice(0, 22),
    });
    expect(token.startsWith(`acme_live_${SAMPLE_KEY_ID}_`)).toBe(true);
    expect(token).toHaveLength(tokenLength('acme_live', 22));
  });

  it('refuses a bad prefix with INVALID_CONFIG', () => {
    expect(() => formatToken({ prefix: 'ACME', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it.each(['short', `${SAMPLE_KEY_ID}x`, '4f8Ws2Kd9QbZ1xL-'])(
    'refuses key id %j with INVALID_INPUT',
    (keyId) => {
      expect(() => formatToken({ prefix: 'acme', keyId, secret: SAMPLE_SECRET })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    },
  );

  it('refuses a short or non-base62 secret without echoing it', () => {
    for (const secret of [SAMPLE_SECRET.slice(0, 21), `${SAMPLE_SECRET.slice(0, 42)}_`, 'x'.repeat(129)]) {
      try {
        formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret });
        expect.unreachable();
      } catch (err) {
        expect(err).toMatchObject({ code: 'INVALID_INPUT' });
        expect(JSON.stringify(err) + String(err)).not.toContain(secret.slice(0, 10));
      }
    }
  });
});
