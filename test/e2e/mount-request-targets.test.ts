/**
 * Request targets the four management mounts (Express, Fastify, Hono, `managementFetchHandler`)
 * must route alike, as docs/management-api.md promises the same status, headers and bytes for the
 * same request: percent-encoded dot segments and absolute-form targets (RFC 9112 §3.2.2) are
 * resolved as the Fetch API's URL parser does before the API routes them.
 *
 * Requests are written with node:http so the request target reaches the server byte for byte
 * (fetch would normalise it first).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup } from '../support/keyward-fixture.js';
import { MOUNTS, type Mount, type MountServer, startMount } from './mounts/mount-servers.js';
import { SESSION_HEADER } from './mounts/scenario-world.js';

const servers = new Map<Mount, MountServer>();

beforeAll(async () => {
  for (const mount of MOUNTS) servers.set(mount, await startMount(mount, setup().kw));
});

afterAll(async () => {
  for (const server of servers.values()) await server.close();
});

interface RawAnswer {
  readonly status: number;
  readonly code: string | undefined;
}

/** Sends `method target` exactly as written, with the admin session, to `mount`. */
function send(mount: Mount, method: string, target: string): Promise<RawAnswer> {
  const url = new URL((servers.get(mount) as MountServer).url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      method,
      path: target,
      headers: { [SESSION_HEADER]: 'admin' },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function answersOf(method: string, target: string): Promise<Record<Mount, RawAnswer>> {
  const answers = {} as Record<Mount, RawAnswer>;
  for (const mount of MOUNTS) answers[mount] = await send(mount, method, target);
  return answers;
}

describe('management mounts agree on unusual request targets', () => {
  it('answers a path with percent-encoded dot segments the same on every mount', async () => {
    // Express and Fastify: 404 (".." is a key id segment); Hono and the fetch handler: 200, the
    // WHATWG URL of the Request resolved "%2e%2e" and served GET /service-accounts.
    const answers = await answersOf('GET', '/api/keyward/keys/%2e%2e/service-accounts');
    expect(answers.fastify).toEqual(answers.express);
    expect(answers.hono).toEqual(answers.express);
    expect(answers.fetch).toEqual(answers.express);
  });

  it('serves an absolute-form request target (RFC 9112 §3.2.2) on every mount, as Hono does', async () => {
    // Express: the router compares req.originalUrl ("http://...") with basePath, skips the API
    // and hands the request to the host's routes (Express's own HTML 404); Fastify: the API's
    // 404 (targetOf sees "http://..."); Hono and the fetch handler: 200.
    const answers = await answersOf('GET', 'http://api.acme.test/api/keyward/service-accounts');
    expect(answers.hono.status).toBe(200);
    expect(answers.express).toEqual(answers.hono);
    expect(answers.fastify).toEqual(answers.hono);
  });
});
