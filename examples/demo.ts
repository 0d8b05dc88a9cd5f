/**
 * `npm run demo`: starts the Express example on a free loopback port over a fresh SQLite file,
 * then makes real HTTP calls and prints each with its status: alice logs in, creates a read-only
 * service account limited to one dataset (with its first key) through keyward's management API,
 * and the key is used, refused, regenerated and revoked. Then it prints where to open the API
 * management page and, in a terminal (or with `--serve`), keeps serving until Ctrl-C. Exits 0
 * when every status is the expected one. Tokens are never printed: only key ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExpressApp } from './express/app.js';
import { DemoSessions } from './shared/demo-platform.js';
import { openKeyward } from './shared/open-keyward.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-demo-'));
const { kw, close } = await openKeyward({ sqlitePath: join(dir, 'keyward.sqlite') });
// Listen first: the app's sample code names the server's own origin, port included.
const server = createServer().listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
server.on('request', createExpressApp(kw, new DemoSessions(), baseUrl));
console.log(`keyward demo: the Express example on ${baseUrl} over a fresh SQLite file\n`);

let failures = 0;
/** Makes one call, prints it with its status (and problem code), and returns its JSON body. */
async function call(
  expect: number,
  method: string,
  path: string,
  note: string,
  init: { headers?: Record<string, string>; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: the demo reads the few members it prints
): Promise<any> {
  const headers = {
    ...init.headers,
    ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const response = await fetch(baseUrl + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const json = text === '' ? {} : JSON.parse(text);
  if (response.status !== expect) failures += 1;
  const code = response.status >= 400 && typeof json.code === 'string' ? `[${json.code}] ` : '';
  const mark = response.status === expect ? '' : `   <-- expected ${expect}`;
  console.log(`  ${response.status}  ${method.padEnd(5)} ${path.padEnd(46)} ${code}${note}${mark}`);
  return json;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const dataset = '/workspaces/w_sales/datasets/d_orders';
try {
  const { session } = await call(200, 'POST', '/login', 'alice logs in (the host login)', {
    body: { user: 'alice', password: 'alice-demo-password' },
  });
  const admin = { 'x-session': String(session) };
  const created = await call(201, 'POST', '/api/keyward/service-accounts', 'creates "orders-reader"', {
    headers: admin,
    body: {
      workspaceId: 'w_sales',
      name: 'orders-reader',
      roles: ['analyst'],
      readOnly: true,
      datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
      firstKey: { name: 'demo key' },
    },
  });
  const keyId: string = created.key.key.id;
  console.log(
    `        read-only, dataset d_orders only; key id ${keyId} (its secret is shown once, not here)`,
  );
  const first: string = created.key.token;
  await call(200, 'GET', dataset, 'dataset read', { headers: bearer(first) });
  const sandbox = await call(
    201,
    'POST',
    `/api/keyward/service-accounts/${created.account.id}/keys`,
    'a test key',
    {
      headers: admin,
      body: { name: 'sandbox', environment: 'test' },
    },
  );
  await call(200, 'GET', `/sandbox${dataset}`, 'test key on the sandbox', { headers: bearer(sandbox.token) });
  await call(401, 'GET', dataset, 'test key on a live route', { headers: bearer(sandbox.token) });
  await call(403, 'GET', '/workspaces/w_sales', 'workspace call by a dataset-scoped key', {
    headers: bearer(first),
  });
  await call(403, 'PUT', dataset, 'write with a read-only key', {
    headers: bearer(first),
    body: { rows: [] },
  });
  const regenerated = await call(
    200,
    'POST',
    `/api/keyward/keys/${keyId}/regenerate`,
    'same key id, new secret',
    {
      headers: admin,
      body: {},
    },
  );
  if (regenerated.key?.id !== keyId) failures += 1;
  await call(401, 'GET', dataset, 'old secret', { headers: bearer(first) });
  await call(200, 'GET', dataset, 'new secret', { headers: bearer(regenerated.token) });
  await call(200, 'POST', `/api/keyward/keys/${keyId}/revoke`, 'revoke the key', {
    headers: admin,
    body: {},
  });
  await call(401, 'GET', dataset, 'revoked key', { headers: bearer(regenerated.token) });
  const audit = await call(200, 'GET', '/api/keyward/audit?workspaceId=w_sales', 'the audit trail', {
    headers: admin,
  });
  for (const event of audit.items ?? []) console.log(`        audit: ${event.action} by ${event.actor?.id}`);
  console.log(
    failures === 0 ? '\nevery call answered as expected' : `\n${failures} call(s) answered unexpectedly`,
  );
  console.log(`\nAPI management page: ${baseUrl}/login (sign in as alice / alice-demo-password)`);
  if (process.stdout.isTTY === true || process.argv.includes('--serve')) {
    console.log('serving until Ctrl-C');
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
  } else {
    console.log('(not a terminal: stopping now; `npm run demo -- --serve` keeps it open)');
  }
} finally {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failures === 0 ? 0 : 1;
