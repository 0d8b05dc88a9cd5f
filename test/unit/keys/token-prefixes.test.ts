import { describe, expect, it } from 'vitest';
import { KeywardError } from '../../../src/errors/index.js';
import { createEnvironmentTokenParser } from '../../../src/keys/environment-token-parser.js';
import {
  formatToken,
  generateKeyId,
  generateSecret,
  parseToken,
  resolveTokenPrefixes,
  tokenPrefixesSchema,
} from '../../../src/keys/index.js';

function configIssues(setting: unknown): readonly { path: readonly PropertyKey[] }[] {
  try {
    resolveTokenPrefixes(setting);
  } catch (error) {
    if (error instanceof KeywardError && error.code === 'INVALID_CONFIG') return error.issues ?? [];
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('resolveTokenPrefixes', () => {
  it('gives both environments the one prefix of a string setting', () => {
    const prefixes = resolveTokenPrefixes('acme');
    expect(prefixes).toEqual({ live: 'acme', test: 'acme' });
    expect(Object.isFrozen(prefixes)).toBe(true);
  });

  it('keeps one prefix per environment', () => {
    expect(resolveTokenPrefixes({ live: 'acme_live', test: 'acme_test' })).toEqual({
      live: 'acme_live',
      test: 'acme_test',
    });
    expect(resolveTokenPrefixes({ live: 'ak', test: 'tk' })).toEqual({ live: 'ak', test: 'tk' });
  });

  it.each([
    ['equal prefixes', { live: 'acme', test: 'acme' }],
    ['a live prefix that starts the test one', { live: 'acme', test: 'acme_test' }],
    ['a test prefix that starts the live one', { live: 'acme_live', test: 'acme' }],
    ['a missing environment', { live: 'acme_live' }],
    ['an unknown environment', { live: 'acme_live', test: 'acme_test', staging: 'acme_stg' }],
    ['an invalid prefix', { live: 'Acme', test: 'acme_test' }],
    ['an invalid string', 'acme-live'],
    ['nothing', undefined],
  ])('refuses %s with INVALID_CONFIG under tokenPrefix', (_name, setting) => {
    const issues = configIssues(setting);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.path[0]).toBe('tokenPrefix');
  });

  it('accepts prefixes sharing a start that is not a whole `<prefix>_` (acme and acmex)', () => {
    expect(tokenPrefixesSchema.safeParse({ live: 'acme', test: 'acmex' }).success).toBe(true);
  });
});

describe('createEnvironmentTokenParser', () => {
  const prefixes = { live: 'acme_live', test: 'acme_test' };
  const parser = createEnvironmentTokenParser(prefixes, undefined);
  const keyId = generateKeyId();
  const secret = generateSecret();

  it('parses a token under either prefix and names its environment', () => {
    for (const environment of ['live', 'test'] as const) {
      const token = formatToken({ prefix: prefixes[environment], keyId, secret });
      const parsed = parser.parse(token);
      expect(parsed).toEqual({ ok: true, keyId, token });
      expect(parser.environmentOf(token)).toBe(environment);
    }
  });

  it('answers as a single-prefix parser for tokens of no configured prefix', () => {
    const other = formatToken({ prefix: 'other', keyId, secret });
    expect(parser.parse(other)).toEqual({ ok: false, reason: 'wrong_prefix' });
    expect(parser.parse(42)).toEqual({ ok: false, reason: 'not_a_string' });
    expect(parser.parse('')).toEqual({ ok: false, reason: 'empty' });
    const live = formatToken({ prefix: 'acme_live', keyId, secret });
    const typo = `${live.slice(0, -1)}${live.endsWith('A') ? 'B' : 'A'}`;
    expect(parser.parse(typo)).toEqual({ ok: false, reason: 'bad_checksum' });
  });

  it('rejects with the shared frozen failures (no allocation on the rejection path)', () => {
    expect(parser.parse('acme_live_nope')).toBe(parser.parse('acme_live_nope'));
    expect(parser.parse('acme_test_nope')).toBe(parseToken('acme_test_nope', { prefix: 'acme_test' }));
  });

  it('names no environment when both environments share one prefix', () => {
    const shared = createEnvironmentTokenParser({ live: 'acme', test: 'acme' }, undefined);
    const token = formatToken({ prefix: 'acme', keyId, secret });
    expect(shared.parse(token).ok).toBe(true);
    expect(shared.environmentOf(token)).toBeNull();
  });
});
