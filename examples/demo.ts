/**
 * `npm run demo`: starts the Express example on a free loopback port over a fresh SQLite file,
 * creates a dataset-scoped, read-only service account with a key, and makes real HTTP calls,
 * printing each with its status. Exits 0 when every status is the expected one, 1 otherwise.
 * Tokens are never printed: only key ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExpressApp } from './express/app.js';
import { createExampleApi } from './shared/example-api.js';
import { openExampleKeyward } from './shared/example-keyward.js';

interface Call {
  method: string;
  path: string;
  expect: number;
  note: string;
  headers?: Record<string, string>;
  body?: unknown;
}

let failures = 0;

/** Makes one call, prints it, and returns its JSON body. */
async function call(baseUrl: string, c: Call): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + c.path, {
    method: c.method,
    headers,
    ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
  });
  const text = await response.text();
  const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  const ok = response.status === c.expect;
  if (!ok) failures += 1;
  const code = typeof body.code === 'string' && response.status >= 400 ? `[${body.code}] ` : '';
  const mark = ok ? '' : `   <-- expected ${c.expect}`;
  console.log(`  ${response.status}  ${c.method.padEnd(5)} ${c.path.padEnd(56)} ${code}${c.note}${mark}`);
  return body;
}

const dir = mkdtempSync(join(tmpdir(), 'keyward-demo-'));
const { kw, close } = await openExampleKeyward({ sqlitePath: join(dir, 'keyward.sqlite') });
const server = createExpressApp(createExampleApi({ kw })).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`keyward demo: the Express example on ${baseUrl} over a fresh SQLite file\n`);

try {
  const login = await call(baseUrl, {
    method: 'POST',
    path: '/login',
    expect: 200,
    note: 'alice logs in to the admin page (the host login)',
    body: { user: 'alice', password: 'alice-demo-password' },
  });
  const admin = { 'x-session': String(login.session) };
  const created = await call(baseUrl, {
    method: 'POST',
    path: '/workspaces/w_sales/service-accounts',
    expect: 201,
    note: 'creates "orders-reader": read-only, dataset d_orders only, with a key',
    headers: admin,
    body: {
      name: 'orders-reader',
      roles: ['analyst'],
      readOnly: true,
      datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
      firstKey: { name: 'demo key' },
    },
  });
  const issued = created.key as { key: { id: string }; token: string };
  const keyId = issued.key.id;
  console.log(`        key id ${keyId} (its full value is shown once to the creator and not printed here)`);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const dataset = '/workspaces/w_sales/datasets/d_orders';

  await call(baseUrl, {
    method: 'GET',
    path: dataset,
    expect: 200,
    note: 'dataset read',
    headers: bearer(issued.token),
  });
  await call(baseUrl, {
    method: 'GET',
    path: '/workspaces/w_sales',
    expect: 403,
    note: 'workspace-level call by a dataset-scoped account',
    headers: bearer(issued.token),
  });
  await call(baseUrl, {
    method: 'PUT',
    path: dataset,
    expect: 403,
    note: 'write with a read-only account',
    headers: bearer(issued.token),
    body: { rows: [{ id: 'o_9', value: 1 }] },
  });
  const regenerated = await call(baseUrl, {
    method: 'POST',
    path: `/workspaces/w_sales/keys/${keyId}/regenerate`,
    expect: 200,
    note: 'regenerate: same key id, new secret',
    headers: admin,
  });
  const fresh = (regenerated as { token: string }).token;
  const kept = (regenerated as { key: { id: string } }).key.id === keyId;
  if (!kept) failures += 1;
  console.log(`        key id ${kept ? 'kept' : 'CHANGED'} after regeneration: ${keyId}`);
  await call(baseUrl, {
    method: 'GET',
    path: dataset,
    expect: 401,
    note: 'old secret',
    headers: bearer(issued.token),
  });
  await call(baseUrl, {
    method: 'GET',
    path: dataset,
    expect: 200,
    note: 'new secret',
    headers: bearer(fresh),
  });
  await call(baseUrl, {
    method: 'POST',
    path: `/workspaces/w_sales/keys/${keyId}/revoke`,
    expect: 200,
    note: 'revoke the key',
    headers: admin,
  });
  await call(baseUrl, {
    method: 'GET',
    path: dataset,
    expect: 401,
    note: 'revoked key',
    headers: bearer(fresh),
  });
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  failures === 0 ? '\nevery call answered as expected' : `\n${failures} call(s) answered unexpectedly`,
);
process.exitCode = failures === 0 ? 0 : 1;
