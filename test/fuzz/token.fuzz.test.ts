import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenParser, formatToken, parseToken, tokenLength } from '../../src/keys/index.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base62Char = fc.constantFrom(...BASE62);
const keyIdArb = fc.string({ unit: base62Char, minLength: 16, maxLength: 16 });
const secretArb = fc.string({ unit: base62Char, minLength: 22, maxLength: 128 });
const segmentArb = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  minLength: 1,
  maxLength: 8,
});
const prefixArb = fc
  .array(segmentArb, { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('_'))
  .filter((prefix) => prefix.length <= 32);
/** Any single UTF-16 code unit, lone surrogates included. */
const codeUnitArb = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const RUNS = { numRuns: 500 };

describe('token format and parser (property)', () => {
  it('parses every formatted token back to its key id and itself', () => {
    fc.assert(
      fc.property(prefixArb, keyIdArb, secretArb, (prefix, keyId, secret) => {
        const token = formatToken({ prefix, keyId, secret });
        expect(token).toHaveLength(tokenLength(prefix, secret.length));
        expect(parseToken(token, { prefix, secretLength: secret.length })).toEqual({
          ok: true,
          keyId,
          token,
        });
      }),
      RUNS,
    );
  });

  it('rejects any single-character substitution, at any position, with any other character', () => {
    fc.assert(
      fc.property(
        prefixArb,
        keyIdArb,
        secretArb,
        fc.nat(),
        fc.oneof(base62Char, fc.constantFrom('_', '-', ' ', '\n'), codeUnitArb),
        (prefix, keyId, secret, position, replacement) => {
          const token = formatToken({ prefix, keyId, secret });
          const index = position % token.length;
          fc.pre(token[index] !== replacement);
          const mutated = token.slice(0, index) + replacement + token.slice(index + 1);
          const result = parseToken(mutated, { prefix, secretLength: secret.length });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(['wrong_prefix', 'bad_characters', 'bad_checksum']).toContain(result.reason);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects any inserted or deleted character', () => {
    fc.assert(
      fc.property(
        prefixArb,
        keyIdArb,
        secretArb,
        fc.nat(),
        codeUnitArb,
        fc.boolean(),
        (prefix, keyId, secret, position, char, insert) => {
          const token = formatToken({ prefix, keyId, secret });
          const index = position % token.length;
          const mutated = insert
            ? token.slice(0, index) + char + token.slice(index)
            : token.slice(0, index) + token.slice(index + 1);
          expect(parseToken(mutated, { prefix, secretLength: secret.length }).ok).toBe(false);
        },
      ),
      RUNS,
    );
  });
});

describe('parser robustness (property)', () => {
  const parse = createTokenParser({ prefix: 'acme' });
  const length = tokenLength('acme', 43);

  it('never throws on arbitrary strings, ASCII or full Unicode', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: codeUnitArb }),
        ),
        (text) => {
          const result = parse(text);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on strings of exactly the token length that start with the prefix', () => {
    const tail = fc.string({
      unit: fc.oneof(
        base62Char,
        fc.constantFrom('_', ' ', '\u0000', '\u00ff', '\u0100', '\ud800'),
        codeUnitArb,
      ),
      minLength: length - 5,
      maxLength: length - 5,
    });
    fc.assert(
      fc.property(tail, (rest) => {
        const result = parse(`acme_${rest}`);
        if (result.ok) expect(result.keyId).toBe(rest.slice(0, 16));
        else expect(['bad_characters', 'bad_checksum']).toContain(result.reason);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on large strings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_048_576 }),
        codeUnitArb,
        fc.boolean(),
        (size, char, prefixed) => {
          const text = (prefixed ? 'acme_' : '') + char.repeat(size);
          expect(parse(text).ok).toBe(false);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('answers not_a_string for any non-string value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
        }),
        (value) => {
          fc.pre(typeof value !== 'string');
          expect(parse(value)).toEqual({ ok: false, reason: 'not_a_string' });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
