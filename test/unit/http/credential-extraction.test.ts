import { describe, expect, it } from 'vitest';
import { createCredentialExtractor, extractCredential } from '../../../src/entries/http.js';

const TOKEN = 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC';
const OTHER = 'acme_9f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjD';

/** Node-style raw header list. */
function raw(...pairs: [string, string][]): string[] {
  return pairs.flat();
}

describe('extractCredential', () => {
  it('reads a Bearer token whatever the case of the scheme', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      expect(extractCredential({ headers: raw(['Authorization', `${scheme} ${TOKEN}`]) })).toEqual({
        kind: 'token',
        token: TOKEN,
        source: 'authorization',
      });
    }
  });

  it('reads the x-api-key header, whatever the case of its name', () => {
    expect(extractCredential({ headers: raw(['X-API-Key', TOKEN]) })).toEqual({
      kind: 'token',
      token: TOKEN,
      source: 'x-api-key',
    });
  });

  it('answers missing when no credential header is present', () => {
    expect(extractCredential({ headers: raw(['Accept', 'application/json']), url: '/x?y=1' })).toEqual({
      kind: 'missing',
    });
  });

  it('ignores an Authorization header of another scheme', () => {
    expect(extractCredential({ headers: raw(['Authorization', 'Basic dXNlcjpwYXNz']) }).kind).toBe('missing');
    expect(
      extractCredential({ headers: raw(['Authorization', 'Basic dXNlcjpwYXNz'], ['x-api-key', TOKEN]) }),
    ).toEqual({ kind: 'token', token: TOKEN, source: 'x-api-key' });
  });

  it('counts the same token sent in both headers once', () => {
    const found = extractCredential({
      headers: raw(['authorization', `Bearer ${TOKEN}`], ['x-api-key', TOKEN]),
    });
    expect(found).toEqual({ kind: 'token', token: TOKEN, source: 'authorization' });
  });

  it.each([
    [
      'two different keys',
      raw(['authorization', `Bearer ${TOKEN}`], ['x-api-key', OTHER]),
      'multiple_credentials',
    ],
    [
      'a repeated Authorization header',
      raw(['authorization', `Bearer ${TOKEN}`], ['Authorization', `Bearer ${TOKEN}`]),
      'duplicate_header',
    ],
    ['a repeated x-api-key header', raw(['x-api-key', TOKEN], ['X-Api-Key', OTHER]), 'duplicate_header'],
    ['comma-joined api keys', raw(['x-api-key', `${TOKEN}, ${OTHER}`]), 'duplicate_header'],
    [
      'comma-joined bearer credentials',
      raw(['authorization', `Bearer ${TOKEN}, Bearer ${OTHER}`]),
      'duplicate_header',
    ],
    ['Bearer without a token', raw(['authorization', 'Bearer']), 'malformed_authorization'],
    ['Bearer with two tokens', raw(['authorization', `Bearer ${TOKEN} ${OTHER}`]), 'malformed_authorization'],
    [
      'Bearer with characters outside b64token',
      raw(['authorization', 'Bearer abc"def']),
      'malformed_authorization',
    ],
    ['an empty x-api-key', raw(['x-api-key', '']), 'malformed_api_key'],
    ['an x-api-key with two tokens', raw(['x-api-key', `${TOKEN} ${OTHER}`]), 'malformed_api_key'],
    [
      'an oversized Authorization header',
      raw(['authorization', `Bearer ${'a'.repeat(2000)}`]),
      'header_too_large',
    ],
    ['an oversized x-api-key header', raw(['x-api-key', 'a'.repeat(1025)]), 'header_too_large'],
  ])('refuses %s as invalid_request', (_name, headers, reason) => {
    expect(extractCredential({ headers })).toEqual({ kind: 'invalid', reason });
  });

  it.each([
    '/data?access_token=abc',
    '/data?API_KEY=abc',
    '/data?apikey=abc&x=1',
    '/data?a=1&token=',
    `/data?anything=${TOKEN}`,
    `/data?anything=${encodeURIComponent(TOKEN)}#frag`,
    `https://api.example.com/data?x-api-key=${TOKEN}`,
  ])('refuses a credential in the query string: %s', (url) => {
    expect(extractCredential({ headers: raw(['authorization', `Bearer ${TOKEN}`]), url })).toEqual({
      kind: 'invalid',
      reason: 'credential_in_query',
    });
  });

  it('accepts ordinary query strings, including malformed percent-encoding', () => {
    for (const url of [
      '/data',
      '/data?',
      '/data?limit=10&cursor=abc',
      '/data?q=%E0%A4%A',
      '/data?tokens=3',
    ]) {
      expect(extractCredential({ headers: raw(['x-api-key', TOKEN]), url }).kind).toBe('token');
    }
  });

  it('reads Web Headers, where repeated headers arrive comma-joined', () => {
    const headers = new Headers();
    headers.append('x-api-key', TOKEN);
    expect(extractCredential({ headers }).kind).toBe('token');
    headers.append('x-api-key', OTHER);
    expect(extractCredential({ headers })).toEqual({ kind: 'invalid', reason: 'duplicate_header' });
  });

  it('reads a plain header record, with array values as repeated headers', () => {
    expect(extractCredential({ headers: { authorization: `Bearer ${TOKEN}` } }).kind).toBe('token');
    expect(extractCredential({ headers: { 'x-api-key': [TOKEN, TOKEN] } })).toEqual({
      kind: 'invalid',
      reason: 'duplicate_header',
    });
  });

  it('applies custom limits and query parameter names', () => {
    const extract = createCredentialExtractor({ maxCredentialLength: 80, queryParams: ['Key'] });
    expect(extract({ headers: raw(['x-api-key', TOKEN]), url: '/d?key=1' })).toEqual({
      kind: 'invalid',
      reason: 'credential_in_query',
    });
    expect(extract({ headers: raw(['x-api-key', TOKEN]), url: '/d?access_token=1' }).kind).toBe('token');
    expect(extract({ headers: raw(['x-api-key', `${TOKEN}${'x'.repeat(20)}`]) })).toEqual({
      kind: 'invalid',
      reason: 'header_too_large',
    });
  });
});
