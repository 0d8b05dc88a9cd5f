import { describe, expect, it } from 'vitest';
import {
  createTokenParser,
  formatToken,
  type ParseTokenResult,
  parseToken,
  tokenLength,
} from '../../../src/keys/index.js';
import { SAMPLE_KEY_ID, SAMPLE_SECRET } from './token-reference.js';

const TOKEN = formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET });
const parse = createTokenParser({ prefix: 'acme' });

/** `TOKEN` with the char at `index` replaced. */
function withCharAt(index: number, char: string, token = TOKEN): string {
  return token.slice(0, index) + char + token.slice(index + 1);
}

function reasonOf(result: ParseTokenResult): string {
  return result.ok ? 'ok' : result.reason;
}

describe('createTokenParser / parseToken', () => {
  it('parses a valid token into its key id and the token', () => {
    expect(parse(TOKEN)).toEqual({ ok: true, keyId: SAMPLE_KEY_ID, token: TOKEN });
    expect(parseToken(TOKEN, { prefix: 'acme' })).toEqual({ ok: true, keyId: SAMPLE_KEY_ID, token: TOKEN });
  });

  it('parses tokens of prefixes containing underscores', () => {
    const token = formatToken({ prefix: 'acme_live', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET });
    expect(parseToken(token, { prefix: 'acme_live' })).toMatchObject({ ok: true, keyId: SAMPLE_KEY_ID });
    expect(reasonOf(parse(token))).toBe('wrong_length');
    expect(reasonOf(parseToken(TOKEN, { prefix: 'acme_live' }))).toBe('wrong_prefix');
  });

  it('honours a secret length option', () => {
    const token = formatToken({ prefix: 'acme', keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET.slice(0, 22) });
    expect(parseToken(token, { prefix: 'acme', secretLength: 22 })).toMatchObject({ ok: true });
    expect(reasonOf(parse(token))).toBe('wrong_length');
    expect(reasonOf(parseToken(TOKEN, { prefix: 'acme', secretLength: 22 }))).toBe('wrong_length');
  });

  it.each([42, null, undefined, true, {}, [TOKEN], 10n, Symbol('t'), new String(TOKEN), () => TOKEN])(
    'answers not_a_string for %s',
    (value) => {
      expect(reasonOf(parse(value))).toBe('not_a_string');
    },
  );

  it('answers not_a_string for a proxy whose every trap throws, without touching it', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('touched');
        },
        getPrototypeOf: () => {
          throw new Error('touched');
        },
      },
    );
    expect(reasonOf(parse(hostile))).toBe('not_a_string');
  });

  it('answers empty for the empty string', () => {
    expect(reasonOf(parse(''))).toBe('empty');
  });

  it('answers wrong_length for truncated, extended, padded or tiny strings', () => {
    expect(reasonOf(parse(TOKEN.slice(0, -1)))).toBe('wrong_length');
    expect(reasonOf(parse(`${TOKEN}a`))).toBe('wrong_length');
    expect(reasonOf(parse(`${TOKEN}\n`))).toBe('wrong_length');
    expect(reasonOf(parse('a'))).toBe('wrong_length');
    expect(reasonOf(parse('acme_'))).toBe('wrong_length');
    expect(reasonOf(parse(' '.repeat(5)))).toBe('wrong_length');
    expect(reasonOf(parse(`acme_${'x'.repeat(1_000_000)}`))).toBe('wrong_length');
  });

  it('answers wrong_prefix for another issuer, at the right length or not', () => {
    expect(reasonOf(parse(withCharAt(0, 'b')))).toBe('wrong_prefix');
    expect(reasonOf(parse(withCharAt(4, 'x')))).toBe('wrong_prefix');
    expect(reasonOf(parse(`ACME${TOKEN.slice(4)}`))).toBe('wrong_prefix');
    expect(reasonOf(parse(`ghp_${'a'.repeat(36)}`))).toBe('wrong_prefix');
    expect(reasonOf(parse('x'.repeat(1_000_000)))).toBe('wrong_prefix');
    expect(reasonOf(parse(' '.repeat(TOKEN.length)))).toBe('wrong_prefix');
    expect(reasonOf(parse(` ${TOKEN}`))).toBe('wrong_prefix');
  });

  it('answers bad_characters for a non-base62 char in the key id, separator, secret or checksum', () => {
    const keyIdAt = 5;
    const separatorAt = 5 + 16;
    const secretAt = separatorAt + 1;
    const checksumAt = TOKEN.length - 6;
    const cases: [number, string][] = [
      [keyIdAt, '-'],
      [keyIdAt + 15, '_'],
      [separatorAt, 'a'],
      [separatorAt, '-'],
      [secretAt, '_'],
      [secretAt + 10, ' '],
      [secretAt + 10, 'é'],
      [secretAt + 10, '\u0100'],
      [secretAt + 10, '\u0130'],
      [secretAt + 10, '\ud83d'],
      [checksumAt, '+'],
      [TOKEN.length - 1, '\u0000'],
      [TOKEN.length - 1, '\u0131'],
    ];
    for (const [index, char] of cases)
      expect(reasonOf(parse(withCharAt(index, char))), `${index} ${char}`).toBe('bad_characters');
  });

  it('answers bad_checksum for a base62 typo anywhere after the prefix', () => {
    for (let index = 5; index < TOKEN.length; index++) {
      if (index === 5 + 16) continue;
      const replacement = TOKEN[index] === 'a' ? 'b' : 'a';
      expect(reasonOf(parse(withCharAt(index, replacement))), `index ${index}`).toBe('bad_checksum');
    }
  });

  it('answers bad_checksum when two adjacent characters are swapped', () => {
    const swapped = TOKEN.slice(0, 30) + TOKEN[31] + TOKEN[30] + TOKEN.slice(32);
    expect(swapped).not.toBe(TOKEN);
    expect(reasonOf(parse(swapped))).toBe('bad_checksum');
  });

  it('never throws on whitespace, control or non-ASCII strings of the right length', () => {
    const length = tokenLength('acme', 43);
    for (const char of ['\t', '\u0000', 'é', '😀', '\ud800', '\uffff']) {
      const text = `acme_${char.repeat(length)}`.slice(0, length);
      expect(parse(text).ok).toBe(false);
    }
  });

  it('returns shared frozen failure results', () => {
    const first = parse('');
    const second = parse('');
    expect(first).toBe(second);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses bad options with INVALID_CONFIG when the parser is built', () => {
    expect(() => createTokenParser({ prefix: 'Acme' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => createTokenParser({ prefix: 'acme', secretLength: 16 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => parseToken(TOKEN, { prefix: 'acme-x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it('stays correct across many prefixes (bounded parser cache)', () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 100; i++) {
        const prefix = `p${i}`;
        const token = formatToken({ prefix, keyId: SAMPLE_KEY_ID, secret: SAMPLE_SECRET });
        expect(parseToken(token, { prefix }).ok).toBe(true);
        expect(reasonOf(parseToken(token, { prefix: `q${i}` }))).toBe('wrong_prefix');
      }
    }
  });
});
