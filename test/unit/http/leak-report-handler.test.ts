import { createHash, createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type LeakReportRequest,
  type LeakSignatureCheck,
  leakReportHandler,
} from '../../../src/entries/http.js';
import { formatToken, generateKeyId, generateSecret } from '../../../src/keys/index.js';
import { admin, dataset, setup } from '../../support/keyward-fixture.js';

const read = { action: 'datasets:read', resource: dataset('d_1') } as const;
const FOUND_AT = 'https://github.com/octocat/hello/blob/0123abc/config.env';

/** Stands in for GitHub's secret-scanning signing key and its published public key. */
const github = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const GITHUB_KEY_ID = 'bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c';
const PUBLISHED_KEYS = new Map<string, KeyObject>([[GITHUB_KEY_ID, github.publicKey]]);

/** The host's hook, as docs/guide.md shows it: ECDSA P-256 / SHA-256 over the raw body. */
const verifySignature: LeakSignatureCheck = ({ body, header }) => {
  const keyId = header('Github-Public-Key-Identifier');
  const signature = header('Github-Public-Key-Signature');
  const publicKey = keyId === undefined ? undefined : PUBLISHED_KEYS.get(keyId);
  if (publicKey === undefined || signature === undefined) return false;
  return createVerify('SHA256').update(body).verify(publicKey, signature, 'base64');
};

/** A POST as GitHub sends it: raw JSON body, signed with `privateKey`, headers as Node's rawHeaders. */
function signedPost(body: string, privateKey: KeyObject = github.privateKey): LeakReportRequest {
  const signature = createSign('SHA256').update(body).sign(privateKey, 'base64');
  return {
    method: 'POST',
    headers: [
      'Content-Type',
      'application/json',
      'Github-Public-Key-Identifier',
      GITHUB_KEY_ID,
      'Github-Public-Key-Signature',
      signature,
    ],
    body: new TextEncoder().encode(body),
  };
}

async function world(mode: 'revoke' | 'report' = 'revoke') {
  const fixture = setup();
  const { key } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'leaky' },
  });
  if (key === undefined) throw new Error('no key');
  const handler = leakReportHandler(fixture.kw, { mode, verifySignature });
  return { ...fixture, handler, token: key.token, keyId: key.key.id };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const payload = (...tokens: string[]) =>
  JSON.stringify(tokens.map((token) => ({ token, type: 'acme_api_key', url: FOUND_AT, source: 'content' })));

describe('leakReportHandler', () => {
  it('revokes a key reported with a valid signature and answers in GitHub feedback format', async () => {
    const { kw, handler, token, keyId } = await world();
    const forged = formatToken({ prefix: 'acme', keyId: generateKeyId(), secret: generateSecret() });
    const answer = await handler.handle(signedPost(payload(token, forged)));
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(answer.body).toEqual([
      { token_hash: sha256(token), token_type: 'acme_api_key', label: 'true_positive' },
      { token_hash: sha256(forged), token_type: 'acme_api_key', label: 'false_positive' },
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(token);
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    const [event] = (await kw.audit.list(admin, { action: 'api_key.leak' })).items;
    expect(event).toMatchObject({ target: { id: keyId }, request: { url: FOUND_AT, source: 'content' } });
  });

  it('in report mode audits without revoking', async () => {
    const { kw, handler, token } = await world('report');
    const answer = await handler.handle(signedPost(payload(token)));
    expect(answer.body).toEqual([
      { token_hash: sha256(token), token_type: 'acme_api_key', label: 'true_positive' },
    ]);
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect((await kw.audit.list(admin, { action: 'api_key.leak' })).items).toHaveLength(1);
  });

  it('refuses with 401, and acts on nothing, when the report is unsigned or badly signed', async () => {
    const { kw, handler, token } = await world();
    const body = payload(token);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const unsigned = { ...signedPost(body), headers: { 'content-type': 'application/json' } };
    const otherKey = signedPost(body, stranger.privateKey);
    const reformatted = { ...signedPost(body), body: `${body}\n` }; // same JSON, other bytes
    const unknownKeyId = signedPost(body);
    (unknownKeyId.headers as string[])[3] = '0'.repeat(64);
    for (const request of [unsigned, otherKey, reformatted, unknownKeyId]) {
      const answer = await handler.handle(request);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status: 401, code: 'invalid_signature' });
      expect(answer.headers['content-type']).toBe('application/problem+json');
    }
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect((await kw.audit.list(admin)).items.some((event) => event.action === 'api_key.leak')).toBe(false);
  });

  it('answers POST only, JSON only, within the size limit', async () => {
    const { handler, token } = await world();
    const small = leakReportHandler(setup().kw, { mode: 'revoke', verifySignature, maxBodyBytes: 64 });
    const get = await handler.handle({ method: 'GET', headers: {}, body: undefined });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    const form = { ...signedPost(payload(token)), headers: { 'content-type': 'text/plain' } };
    expect((await handler.handle(form)).status).toBe(415);
    expect((await handler.handle({ method: 'POST', headers: {}, body: '' })).status).toBe(400);
    expect((await small.handle(signedPost(payload(token)))).status).toBe(413);
    expect((await small.handle({ ...signedPost('[]'), body: 'é'.repeat(40) })).status).toBe(413);
  });

  it('answers 400 for signed bodies that are not JSON or not a list of reports, never echoing a token', async () => {
    const { handler, token } = await world();
    const notJson = await handler.handle(signedPost('{not json'));
    expect([notJson.status, notJson.body]).toMatchObject([400, { code: 'malformed_json' }]);
    const badUrl = JSON.stringify([{ token, type: 'acme_api_key', url: 'nowhere', source: 'content' }]);
    const invalid = await handler.handle(signedPost(badUrl));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'invalid_input', errors: [{ pointer: '#/0/url' }] });
    expect(JSON.stringify(invalid.body)).not.toContain(token.slice(-20));
  });

  it('refuses a body a framework already parsed: the signature covers the raw bytes', async () => {
    const { handler, token } = await world();
    const parsed = { ...signedPost(payload(token)), body: JSON.parse(payload(token)) as never };
    await expect(handler.handle(parsed)).rejects.toThrow(TypeError);
  });

  it('serves the same answer as a Web handler, from a signed Request', async () => {
    const { kw, handler, token } = await world();
    const body = payload(token);
    const signed = signedPost(body);
    const headers = new Headers();
    const raw = signed.headers as string[];
    for (let i = 0; i < raw.length; i += 2) headers.set(raw[i] as string, raw[i + 1] as string);
    const response = await handler.fetch(
      new Request('https://api.acme.test/leaks', { method: 'POST', headers, body }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      JSON.stringify([{ token_hash: sha256(token), token_type: 'acme_api_key', label: 'true_positive' }]),
    );
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    const unsigned = await handler.fetch(
      new Request('https://api.acme.test/leaks', { method: 'POST', body }),
    );
    expect(unsigned.status).toBe(415);
  });

  it('checks its options when it is built', () => {
    const { kw } = setup();
    expect(() => leakReportHandler(kw, { mode: 'delete' as 'revoke', verifySignature })).toThrow(TypeError);
    expect(() => leakReportHandler(kw, { mode: 'revoke' } as never)).toThrow(TypeError);
    expect(() => leakReportHandler(kw, { mode: 'report', verifySignature, maxBodyBytes: 0 })).toThrow(
      TypeError,
    );
  });
});
