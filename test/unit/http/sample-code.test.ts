import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKeywardError } from '../../../src/errors/index.js';
import { SAMPLE_CODE_LANGUAGES, sampleCode } from '../../../src/index.js';

const run = promisify(execFile);
const TOKEN = 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC';

/** Whether a program can be started. */
async function available(program: string, args: string[]): Promise<boolean> {
  try {
    await run(program, args);
    return true;
  } catch {
    return false;
  }
}

let server: Server;
let baseUrl: string;
const seen: { method: string; url: string; authorization: string | undefined }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'keyward-sample-'));

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workspaces/w_sales`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a snippet and returns the request the server saw. */
async function runSnippet(language: string, code: string): Promise<(typeof seen)[number] | undefined> {
  seen.length = 0;
  if (language === 'curl') await run('sh', ['-c', code]);
  if (language === 'python') await run('python3', ['-c', code]);
  if (language === 'typescript') {
    const file = join(dir, 'snippet.mts');
    writeFileSync(file, code);
    await run(process.execPath, ['--import', 'tsx', file], { cwd: process.cwd() });
  }
  return seen[0];
}

describe('sampleCode', () => {
  it.each(SAMPLE_CODE_LANGUAGES)(
    'writes a %s snippet that calls the account workspace with the key',
    async (language) => {
      const runnable = language !== 'python' || (await available('python3', ['--version']));
      const code = sampleCode({ language, token: TOKEN, baseUrl, path: '/datasets/d_orders' });
      expect(code).toContain(TOKEN);
      expect(code).toContain('/workspaces/w_sales/datasets/d_orders');
      if (!runnable) return;
      const request = await runSnippet(language, code);
      expect(request).toEqual({
        method: 'GET',
        url: '/workspaces/w_sales/datasets/d_orders',
        authorization: `Bearer ${TOKEN}`,
      });
    },
  );

  it.each(SAMPLE_CODE_LANGUAGES)('writes a %s snippet for a PUT with a JSON body', async (language) => {
    if (language === 'python' && !(await available('python3', ['--version']))) return;
    const code = sampleCode({ language, token: TOKEN, baseUrl, path: '/datasets/d_orders', method: 'PUT' });
    expect((await runSnippet(language, code))?.method).toBe('PUT');
  });

  it('sends one request from the curl snippet when the path holds brackets or braces (no URL globbing)', async () => {
    for (const path of ['/rows[1-3]', '/rows{a,b}']) {
      const code = sampleCode({ language: 'curl', token: TOKEN, baseUrl, path });
      await runSnippet('curl', code);
      expect(seen.map((request) => decodeURIComponent(request.url))).toEqual([`/workspaces/w_sales${path}`]);
    }
  });

  it('quotes a base URL holding a single quote so the shell runs it as one argument', async () => {
    const code = sampleCode({ language: 'curl', token: TOKEN, baseUrl: `${baseUrl}/it's`, path: '' });
    expect((await runSnippet('curl', code))?.url).toBe("/workspaces/w_sales/it's");
  });

  it.each([
    ['an unknown language', { language: 'ruby', token: TOKEN, baseUrl }],
    ['a relative base URL', { language: 'curl', token: TOKEN, baseUrl: '/api' }],
    ['a javascript: URL', { language: 'curl', token: TOKEN, baseUrl: 'javascript:alert(1)' }],
    ['a base URL with a query', { language: 'curl', token: TOKEN, baseUrl: 'https://a.example/?x=1' }],
    ['a token with shell characters', { language: 'curl', token: "abc'; rm -rf /", baseUrl }],
    ['a path without a leading slash', { language: 'curl', token: TOKEN, baseUrl, path: 'datasets' }],
  ])('refuses %s with INVALID_INPUT, never echoing the token', (_name, input) => {
    try {
      sampleCode(input as never);
      expect.unreachable();
    } catch (error) {
      expect(isKeywardError(error, 'INVALID_INPUT')).toBe(true);
      expect(JSON.stringify(error)).not.toContain('rm -rf');
    }
  });
});
