import { createHash, createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keywardExpress } from '../../adapters/express/index.js';
import { keywardLeakReports } from '../../adapters/fastify/index.js';
import { keywardHono } from '../../adapters/hono/index.js';
import { USERS } from '../../examples/shared/demo-platform.js';
import { openKeyward } from '../../examples/shared/open-keyward.js';
import type { LeakSignatureCheck } from '../../src/entries/http.js';
import type { Keyward, UserActor } from '../../src/index.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';

/** Stands in for GitHub's signing key and its published public key (ECDSA P-256, SHA-256). */
const github = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEY_ID = 'test-key-1';
const verifySignature: LeakSignatureCheck = ({ body, header }) => {
  const signature = header('Github-Public-Key-Signature');
  if (header('Github-Public-Key-Identifier') !== KEY_ID || signature === undefined) return false;
  return createVerify('SHA256').update(body).verify(github.publicKey, signature, 'base64');
};

const MOUNTS = ['express', 'fastify', 'hono'] as const;
type Mount = (typeof MOUNTS)[number];
const PATH = '/secret-scanning';
const alice = USERS.alice as UserActor;

/** Serves the leak-report endpoint of `kw` on `mount`, on a loopback port; its URL and closer. */
async function start(mount: Mount, kw: Keyward): Promise<{ url: string; close(): Promise<void> }> {
  const options = { mode: 'revoke' as const, verifySignature };
  if (mount === 'fastify') {
    const app = Fastify();
    await app.register(keywardLeakReports, { keyward: kw, path: PATH, ...options });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  }
  const server =
    mount === 'express'
      ? express().post(PATH, keywardExpress(kw).leakReports(options)).listen(0, '127.0.0.1')
      : serve({
          fetch: new Hono().post(PATH, keywardHono(kw).leakReports(options)).fetch,
          port: 0,
          hostname: '127.0.0.1',
        });
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** POSTs `reports` as GitHub does: raw JSON, signed unless `signed` is false. */
async function post(url: string, reports: unknown, signed = true) {
  const body = JSON.stringify(reports);
  const signature = createSign('SHA256')
    .update(signed ? body : `${body} `)
    .sign(github.privateKey, 'base64');
  const response = await fetch(url + PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'github-public-key-identifier': KEY_ID,
      'github-public-key-signature': signature,
    },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const reportOf = (token: string) => ({
  token,
  type: 'acme_api_key',
  url: 'https://github.com/o/r/blob/1/a.env',
  source: 'content',
});

/** One mount over `kw`: a leaked token is revoked and audited; the rest answers as documented. */
async function leakStory(mount: Mount, kw: Keyward) {
  const served = await start(mount, kw);
  try {
    const { key } = await kw.serviceAccounts.create(alice, {
      workspaceId: 'w_sales',
      name: `leaky-${mount}`,
      roles: ['analyst'],
      firstKey: { name: 'ci' },
    });
    const token = key?.token as string;
    const read = {
      action: 'datasets:read',
      resource: { tenantId: 't_acme', workspaceId: 'w_sales', datasetId: 'd_orders' },
    };
    expect((await kw.verify(token, read)).ok).toBe(true);
    const wrongSecret = `${token.slice(0, -8)}AAAAAAAA`;
    const unsigned = await post(served.url, [reportOf(token)], false);
    expect(unsigned.status).toBe(401);
    expect((await kw.verify(token, read)).ok).toBe(true);
    const answer = await post(served.url, [reportOf(token), reportOf(wrongSecret), reportOf('not-a-token')]);
    expect([answer.status, answer.contentType]).toEqual([200, 'application/json']);
    expect(JSON.parse(answer.text)).toEqual([
      { token_hash: sha256(token), token_type: 'acme_api_key', label: 'true_positive' },
      { token_hash: sha256(wrongSecret), token_type: 'acme_api_key', label: 'false_positive' },
      { token_hash: sha256('not-a-token'), token_type: 'acme_api_key', label: 'false_positive' },
    ]);
    expect(answer.text).not.toContain(token);
    expect(await kw.verify(token, read)).toMatchObject({ ok: false });
    const audit = await kw.audit.list(alice, { action: 'api_key.leak' });
    expect(audit.items).toContainEqual(
      expect.objectContaining({
        target: { type: 'api_key', id: key?.key.id },
        actor: { type: 'system', id: 'secret_scanning' },
        request: { url: 'https://github.com/o/r/blob/1/a.env', source: 'content' },
      }),
    );
    // The answer's shape, with the hashes of this instance's tokens taken out, for comparison.
    return [unsigned.status, answer.text.replaceAll(sha256(token), 'T').replaceAll(sha256(wrongSecret), 'W')];
  } finally {
    await served.close();
  }
}

describe('leak reports over real HTTP, on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-leaks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('revokes a leaked key and answers the same on Express, Fastify and Hono', async () => {
    const answers = [];
    for (const mount of MOUNTS) {
      const opened = await openKeyward({ sqlitePath: join(dir, `${mount}.sqlite`) });
      try {
        answers.push(await leakStory(mount, opened.kw));
      } finally {
        await opened.close();
      }
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});

const adminUrl = inject('databaseUrl');
describe.runIf(adminUrl !== null)('leak reports over real HTTP, on PostgreSQL', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'e2e_leaks');
  });
  afterAll(() => database?.drop());

  it('revokes a leaked key through the Express mount', async () => {
    const opened = await openKeyward({ databaseUrl: database.url });
    try {
      await leakStory('express', opened.kw);
    } finally {
      await opened.close();
    }
  });
});
