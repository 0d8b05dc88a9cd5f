/**
 * `npm run bench -- express-steps`: where the Express middleware's cost goes. One Express server
 * (memory storage, the default cache, one valid key) serves the same JSON answer behind one step
 * of keyward's request path at a time, from nothing to the full `requireApiKey`; the routes are
 * loaded in alternating rounds (medians), requests/s and the server's CPU time per request.
 *
 * A 10 µs busy loop is one of the steps: a yardstick for what a given amount of work costs in
 * the middle of Express's own.
 *
 * Environment: HTTP_BENCH_SECONDS (default 1.5 per route and round), HTTP_BENCH_ROUNDS (default 7),
 * HTTP_BENCH_CONCURRENCY, HTTP_BENCH_PIN (see http-load.ts).
 */
import { hash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express, { type RequestHandler } from 'express';
import { keywardExpress } from '../adapters/express/index.js';
import { memoryAdapter } from '../adapters/memory/index.js';
import { nodeHasher } from '../adapters/node/index.js';
import { createApiKeyGuard } from '../src/entries/http.js';
import { createKeyward, type Keyward } from '../src/index.js';
import { load, measure, median, pinLoadGenerator, reportToParent, startServer } from './http-load.js';
import { writeResults } from './report.js';

const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 1.5);
const ROUNDS = Number(process.env.HTTP_BENCH_ROUNDS ?? 7);
const PAYLOAD = { rows: [{ id: 'r_1', value: 1 }] };
const RESOURCE = { tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' };
const ACTION = 'datasets:read';

/** The steps, in order: path and what the middleware in front of the answer does. */
const STEPS = [
  ['/bare', 'nothing: the answer alone'],
  ['/async-noop', 'an async middleware that awaits nothing, then next()'],
  ['/spin-10us', 'a middleware busy for 10 µs, then next()'],
  [
    '/sha256-only',
    'a middleware that hashes the token with SHA-256, then next(): the least a check of a hashed secret does',
  ],
  ['/verify-object', 'await kw.verify(token, { action, resource: an object })'],
  ['/verify-function', 'the same with resource as a function'],
  ['/guard', "await guard.authenticate(...) with the mount's arguments"],
  ['/require-api-key', 'requireApiKey: the mount (also sets req.keyward)'],
] as const;

/** Busy-waits for `us` microseconds. */
function spin(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end) {
    // busy
  }
}

/** The token of a request (the bench sends `Authorization: Bearer <token>`). */
const tokenOf = (req: express.Request) => String(req.headers.authorization).slice('Bearer '.length);

/** The middleware of each step but the mount's own. */
function stepMiddleware(kw: Keyward): Record<string, RequestHandler> {
  const guard = createApiKeyGuard(kw, {});
  const proceed = (ok: boolean, res: express.Response, next: express.NextFunction) => {
    if (ok) next();
    else res.status(401).end();
  };
  return {
    '/async-noop': async (_req, _res, next) => {
      await null;
      next();
    },
    '/spin-10us': (_req, _res, next) => {
      spin(10);
      next();
    },
    '/sha256-only': (req, res, next) => {
      if (hash('sha256', tokenOf(req), 'hex').length === 64) next();
      else res.status(401).end();
    },
    '/verify-object': async (req, res, next) => {
      const result = await kw.verify(tokenOf(req), { action: ACTION, resource: RESOURCE });
      proceed(result.ok, res, next);
    },
    '/verify-function': async (req, res, next) => {
      const result = await kw.verify(tokenOf(req), { action: ACTION, resource: () => RESOURCE });
      proceed(result.ok, res, next);
    },
    '/guard': async (req, res, next) => {
      const outcome = await guard.authenticate({
        headers: req.rawHeaders,
        url: req.originalUrl,
        ip: () => req.ip,
        action: ACTION,
        resource: () => RESOURCE,
      });
      proceed(outcome.ok, res, next);
    },
  };
}

/** Server process: every step's route, then `{ port, token }` to the parent. */
async function serve(): Promise<void> {
  const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'bench', hasher: nodeHasher });
  const admin = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] } as const;
  const created = await kw.serviceAccounts.create(
    { ...admin, permissions: [...admin.permissions] },
    { workspaceId: 'w_1', name: 'bench', roles: ['viewer'], firstKey: { name: 'bench' } },
  );
  const app = express();
  const answer: RequestHandler = (_req, res) => {
    res.json(PAYLOAD);
  };
  const middleware = stepMiddleware(kw);
  const { requireApiKey } = keywardExpress(kw);
  app.get('/bare', answer);
  for (const [path, step] of Object.entries(middleware)) app.get(path, step, answer);
  app.get('/require-api-key', requireApiKey({ action: ACTION, resource: () => RESOURCE }), answer);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  reportToParent({ port: (server.address() as AddressInfo).port, token: created.key?.token ?? '' });
}

export async function run(): Promise<void> {
  const pinned = pinLoadGenerator();
  const server = await startServer(fileURLToPath(import.meta.url), ['express-steps'], pinned);
  const rows: { path: string; step: string; rps: number; cpuUs: number; vsBarePct: number }[] = [];
  try {
    const auth = { authorization: `Bearer ${server.token}` };
    for (const [path] of STEPS) await load(server.port, path, auth, 0.5);
    const seen = new Map<string, { rps: number[]; cpuUs: number[] }>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [path] of STEPS) {
        const { rps, cpuUs } = await measure(server, path, auth, SECONDS);
        const entry = seen.get(path) ?? { rps: [], cpuUs: [] };
        entry.rps.push(rps);
        entry.cpuUs.push(cpuUs);
        seen.set(path, entry);
      }
    }
    const bare = median(seen.get('/bare')?.rps ?? [1]);
    for (const [path, step] of STEPS) {
      const entry = seen.get(path) ?? { rps: [0], cpuUs: [0] };
      const rps = median(entry.rps);
      const cpuUs = median(entry.cpuUs);
      const vsBarePct = Math.round((rps / bare - 1) * 1000) / 10;
      rows.push({ path, step, rps, cpuUs, vsBarePct });
      console.log(
        `  ${path.padEnd(18)} ${rps.toLocaleString('en-US').padStart(7)} req/s ${String(vsBarePct).padStart(6)}%   ${String(cpuUs).padStart(6)} µs CPU/request   ${step}`,
      );
    }
  } finally {
    server.child.kill('SIGTERM');
  }
  const path = writeResults('express-steps', {
    command: 'npm run bench -- express-steps',
    setup: {
      storage: "memoryAdapter() with the default verification cache (the adapter's own change feed)",
      hasher: 'nodeHasher (keyward/node)',
      secondsPerRoute: SECONDS,
      rounds: ROUNDS,
      pinned: pinned ? 'server on CPU 1, load generator on CPU 0 (taskset)' : 'not pinned',
    },
    rows,
  });
  console.log(`  results: ${path}`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href && process.argv[2] === '--serve') {
  await serve();
}
