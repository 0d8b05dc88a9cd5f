import { describe, expect, it } from 'vitest';
import {
  bearerChallenge,
  HTTP_OUTCOME_TABLE,
  httpDenial,
  httpStatusFor,
  PROBLEM_CONTENT_TYPE,
  validateRealm,
} from '../../../src/entries/http.js';

const INVALID_KEY_CODES = [
  'missing_credentials',
  'malformed_token',
  'key_not_found',
  'invalid_secret',
  'key_revoked',
  'key_disabled',
  'key_expired',
  'key_not_yet_valid',
  'account_disabled',
  'account_deleted',
  'creator_inactive',
];

const POLICY_DENIALS = [
  'outside_workspace_binding',
  'dataset_scoped_account',
  'dataset_not_granted',
  'read_only',
  'forbidden_by_rule',
  'not_granted',
  'exceeds_creator_rights',
];

describe('the HTTP outcome table', () => {
  it('answers 401 for every missing or invalid key', () => {
    for (const code of INVALID_KEY_CODES) expect(httpStatusFor(code)).toBe(401);
  });

  it('answers 403 for every policy denial, 404 across tenants, 429, 503 and 500 where they apply', () => {
    for (const code of POLICY_DENIALS) expect(httpStatusFor(code)).toBe(403);
    expect(httpStatusFor('cross_tenant')).toBe(404);
    expect(httpStatusFor('resource_not_found')).toBe(404);
    expect(httpStatusFor('rate_limited')).toBe(429);
    expect(httpStatusFor('storage_unavailable')).toBe(503);
    expect(httpStatusFor('evaluation_error')).toBe(500);
    expect(httpStatusFor('invalid_request')).toBe(400);
  });

  it('answers 401 environment_not_accepted with its own body code', () => {
    expect(httpStatusFor('environment_not_accepted')).toBe(401);
    const denial = httpDenial('environment_not_accepted', { realm: 'acme', action: 'datasets:read' });
    expect(denial.body).toMatchObject({ status: 401, code: 'environment_not_accepted' });
    expect(denial.headers['www-authenticate']).toContain('error="invalid_token", error_description="');
  });

  it('answers 403 for a code it does not know (fail closed)', () => {
    expect(httpStatusFor('some_future_reason')).toBe(403);
    expect(httpStatusFor('toString')).toBe(403);
    expect(Object.keys(HTTP_OUTCOME_TABLE)).not.toContain('toString');
  });
});

describe('httpDenial', () => {
  it('gives every invalid key one identical body, and a Bearer invalid_token challenge', () => {
    const bodies = new Set<string>();
    for (const code of INVALID_KEY_CODES) {
      const denial = httpDenial(code, { realm: 'acme', action: 'datasets:read' });
      expect(denial.status).toBe(401);
      expect(denial.code).toBe(code);
      expect(denial.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(denial.headers['cache-control']).toBe('no-store');
      bodies.add(JSON.stringify(denial.body));
      const expected =
        code === 'missing_credentials' ? 'Bearer realm="acme"' : 'Bearer realm="acme", error="invalid_token"';
      expect(denial.headers['www-authenticate']).toBe(expected);
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0] as string)).toMatchObject({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthenticated',
    });
  });

  it('names the reason and the required permission of a 403', () => {
    const denial = httpDenial('read_only', { realm: 'acme', action: 'datasets:write' });
    expect(denial.status).toBe(403);
    expect(denial.body).toMatchObject({
      status: 403,
      title: 'Forbidden',
      code: 'read_only',
      required: 'datasets:write',
    });
    expect(denial.headers['www-authenticate']).toBe(
      'Bearer realm="acme", error="insufficient_scope", scope="datasets:write"',
    );
  });

  it('answers a credential refusal with 400 invalid_request and its reason', () => {
    const denial = httpDenial('multiple_credentials', { realm: 'acme' });
    expect(denial.status).toBe(400);
    expect(denial.body.code).toBe('multiple_credentials');
    expect(denial.headers['www-authenticate']).toMatch(
      /^Bearer realm="acme", error="invalid_request", error_description="[^"]+"$/,
    );
  });

  it('answers cross-tenant requests with a plain 404 that confirms nothing', () => {
    const denial = httpDenial('cross_tenant', { realm: 'acme', action: 'workspace:read' });
    expect(denial.status).toBe(404);
    expect(denial.body).toEqual(
      httpDenial('resource_not_found', { realm: 'acme', action: 'workspace:read' }).body,
    );
    expect(denial.headers['www-authenticate']).toBeUndefined();
  });

  it('sets Retry-After in whole seconds on 429', () => {
    expect(httpDenial('rate_limited', { realm: 'r', retryAfterSeconds: 2.2 }).headers['retry-after']).toBe(
      '3',
    );
    expect(httpDenial('rate_limited', { realm: 'r', retryAfterSeconds: 0 }).headers['retry-after']).toBe('1');
    expect(httpDenial('rate_limited', { realm: 'r' }).headers['retry-after']).toBe('1');
    expect(httpDenial('rate_limited', { realm: 'r', retryAfterSeconds: 30 }).status).toBe(429);
  });

  it('builds problem types from a base URI when one is given', () => {
    expect(
      httpDenial('read_only', { realm: 'r', typeBaseUri: 'https://docs.acme.com/problems/' }).body.type,
    ).toBe('https://docs.acme.com/problems/read_only');
  });
});

describe('WWW-Authenticate', () => {
  it('accepts printable realms and refuses quotes, backslashes, control characters and empty ones', () => {
    expect(validateRealm('acme api')).toBe('acme api');
    for (const bad of ['', 'a"b', 'a\\b', 'a\nb', 'x'.repeat(129), 42]) {
      expect(() => validateRealm(bad)).toThrow(TypeError);
    }
  });

  it('drops characters a quoted parameter may not hold from descriptions', () => {
    expect(bearerChallenge('r', { error: 'invalid_request', description: 'say "hi"\n' })).toBe(
      'Bearer realm="r", error="invalid_request", error_description="say hi"',
    );
  });
});
