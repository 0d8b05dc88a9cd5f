import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../../src/entries/http.js';
import { ERROR_CODES, isKeywardError, KeywardError } from '../../../src/errors/index.js';
import { createTokenHasher, generateKey } from '../../../src/keys/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

/** A real token of the prefix, from the library's own generator. */
function realToken(prefix = 'acme'): { token: string; keyId: string; secret: string } {
  const key = generateKey({ prefix, hasher: createTokenHasher() });
  return { token: key.token, keyId: key.keyId, secret: key.token.slice(prefix.length + 18) };
}

/** Every 8-character slice of `secret`: none may appear in what an error exposes. */
function secretParts(secret: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i += 4) parts.push(secret.slice(i, i + 8));
  return parts;
}

/** Every string a caller or a log may see of an error. */
function exposed(error: KeywardError): string {
  return [
    error.message,
    String(error),
    JSON.stringify(error),
    JSON.stringify(error.issues),
    JSON.stringify(errorResponse(error).body),
  ].join('\n');
}

async function rejection(promise: Promise<unknown>): Promise<KeywardError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isKeywardError(error)) throw new Error(`expected a KeywardError, got ${String(error)}`);
  return error;
}

describe('errors never echo a token', () => {
  it('an unknown field named like a real token yields INVALID_INPUT with no part of the secret', async () => {
    const { kw } = setup();
    const issued = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    const token = issued.key?.token as string;
    const secret = token.slice('acme_'.length + 17);
    const error = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: 'etl 2',
        roles: ['viewer'],
        [token]: true,
      } as never),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(error.issues).toEqual([{ code: 'unrecognized_keys', path: [], message: 'Unrecognized key' }]);
    const text = exposed(error);
    expect(text).not.toContain(token);
    for (const part of secretParts(secret)) expect(text).not.toContain(part);
  });

  it('names plain unknown fields, but not long or odd ones', async () => {
    const { kw } = setup();
    const typo = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: 'e',
        roles: ['viewer'],
        rolez: [],
      } as never),
    );
    expect(typo.issues[0]?.message).toBe('Unrecognized key: "rolez"');
    const odd = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: 'e',
        roles: ['viewer'],
        ['x'.repeat(40)]: 1,
        'a b': 2,
      } as never),
    );
    expect(odd.issues[0]?.message).toBe('2 unrecognized keys');
  });

  it('redacts a token used as a metadata key from issue paths and the problem pointer', async () => {
    const { kw } = setup();
    const { token, secret } = realToken();
    const error = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: 'etl',
        roles: ['viewer'],
        metadata: { [token]: 'x'.repeat(300) },
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toContainEqual(['metadata', '[redacted]']);
    const text = exposed(error);
    for (const part of secretParts(secret)) expect(text).not.toContain(part);
  });

  it('redacts token-shaped words from any KeywardError message, issues and top-level details', () => {
    const { token, keyId, secret } = realToken('acme_live');
    const bare = `${keyId}_${secret}`;
    const error = new KeywardError(ERROR_CODES.NOT_FOUND, `no key ${token}.`, {
      issues: [{ code: 'custom', path: ['a', token, 0], message: `got "${bare}"` }],
      details: { keyId, token, list: ['ok', `(${token})`], nested: { kept: 1 } },
    });
    expect(error.message).toBe('no key [redacted].');
    expect(error.issues).toEqual([
      { code: 'custom', path: ['a', '[redacted]', 0], message: 'got "[redacted]"' },
    ]);
    expect(error.details).toEqual({
      keyId,
      token: '[redacted]',
      list: ['ok', '([redacted])'],
      nested: { kept: 1 },
    });
    for (const part of secretParts(secret)) expect(exposed(error)).not.toContain(part);
  });

  it('keeps key ids, ids and ordinary words, and escapes characters that forge log lines', () => {
    const { keyId } = realToken();
    const error = new KeywardError(
      ERROR_CODES.NOT_FOUND,
      `Key ${keyId} of sa_0123456789abcdef not found\u2028FAKE`,
      {
        issues: [{ code: 'custom', path: ['metadata', 'te\u202eam'], message: 'bad' }],
      },
    );
    expect(error.message).toBe(`Key ${keyId} of sa_0123456789abcdef not found\\u{2028}FAKE`);
    expect(error.issues[0]?.path).toEqual(['metadata', 'te\\u{202e}am']);
  });
});
