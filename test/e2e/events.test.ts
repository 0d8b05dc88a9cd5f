import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keywardExpress } from '../../adapters/express/index.js';
import { USERS } from '../../examples/shared/demo-platform.js';
import { openKeyward } from '../../examples/shared/open-keyward.js';
import type { KeywardEvent } from '../../src/index.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';

/**
 * `onEvent` seen from a host: changes made over the management API (real HTTP, Express mount)
 * reach the hook once committed, in order, with the key's public view and never its secret; a
 * refused change reaches it not at all.
 */
async function eventStory(storage: { sqlitePath?: string; databaseUrl?: string }) {
  const events: KeywardEvent[] = [];
  const opened = await openKeyward({ ...storage, keyward: { onEvent: (event) => void events.push(event) } });
  const app = express().use(
    keywardExpress(opened.kw).managementRouter({
      basePath: '/api/keyward',
      authenticate: (req) =>
        req.get('x-user') === 'alice' ? USERS.alice : req.get('x-user') === 'victor' ? USERS.victor : null,
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/keyward`;
  const send = async (method: string, path: string, user: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'x-user': user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the story reads the few members it checks
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };
  try {
    const created = await send('POST', '/service-accounts', 'alice', {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['analyst'],
      firstKey: { name: 'ci' },
    });
    expect(created.status).toBe(201);
    const keyId = created.json.key.key.id as string;
    const token = created.json.key.token as string;
    const refused = await send('POST', `/keys/${keyId}/revoke`, 'victor', {});
    expect(refused.status).toBe(403);
    expect((await send('POST', `/keys/${keyId}/regenerate`, 'alice', {})).status).toBe(200);
    expect((await send('POST', `/keys/${keyId}/revoke`, 'alice', {})).status).toBe(200);
    expect((await send('POST', `/keys/${keyId}/revoke`, 'alice', {})).status).toBe(200);
    expect(events.map((event) => event.type)).toEqual([
      'service_account.created',
      'key.created',
      'key.regenerated',
      'key.revoked',
    ]);
    expect(events.find((event) => event.type === 'key.revoked')).toMatchObject({
      actor: { type: 'user', id: 'u_alice' },
      tenantId: 't_acme',
      key: { id: keyId, status: 'revoked' },
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain(token.slice(token.lastIndexOf('_') + 1));
    expect(text).not.toMatch(/"(hash|previousHash|pepperId)":/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await opened.close();
  }
}

describe('events of changes made over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-events-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reach onEvent once committed, in order, without secrets (SQLite)', async () => {
    await eventStory({ sqlitePath: join(dir, 'events.sqlite') });
  });
});

const adminUrl = inject('databaseUrl');
describe.runIf(adminUrl !== null)('events of changes made over HTTP, on PostgreSQL', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'e2e_events');
  });
  afterAll(() => database?.drop());

  it('reach onEvent once committed, in order, without secrets', async () => {
    await eventStory({ databaseUrl: database.url });
  });
});
