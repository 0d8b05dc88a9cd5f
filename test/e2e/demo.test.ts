import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run demo', () => {
  it('prints each call with the expected status, the audit trail and the page URL, never a token, and exits 0', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
      cwd: process.cwd(),
      timeout: 60_000,
    });
    const calls = stdout
      .split('\n')
      .map((line) => /^\s+(\d{3})\s+(GET|POST|PUT)\s+(\S+)\s+(?:\[([a-z_]+)\] )?/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [
        match[1],
        match[2],
        match[3]?.replace(/keys\/\w+\//, 'keys/:id/').replace(/sa_\w+/, ':sa'),
        match[4] ?? '',
      ]);
    const dataset = '/workspaces/w_sales/datasets/d_orders';
    expect(calls).toEqual([
      ['200', 'POST', '/login', ''],
      ['201', 'POST', '/api/keyward/service-accounts', ''],
      ['200', 'GET', dataset, ''],
      ['201', 'POST', '/api/keyward/service-accounts/:sa/keys', ''],
      ['200', 'GET', `/sandbox${dataset}`, ''],
      ['401', 'GET', dataset, 'environment_not_accepted'],
      ['403', 'GET', '/workspaces/w_sales', 'dataset_scoped_account'],
      ['403', 'PUT', dataset, 'read_only'],
      ['200', 'POST', '/api/keyward/keys/:id/regenerate', ''],
      ['401', 'GET', dataset, 'unauthenticated'],
      ['200', 'GET', dataset, ''],
      ['200', 'POST', '/api/keyward/keys/:id/revoke', ''],
      ['401', 'GET', dataset, 'unauthenticated'],
      ['200', 'GET', '/api/keyward/audit?workspaceId=w_sales', ''],
    ]);
    expect(stdout.match(/audit: \S+ by \S+/g)).toEqual([
      'audit: api_key.revoke by u_alice',
      'audit: api_key.regenerate by u_alice',
      'audit: api_key.issue by u_alice',
      'audit: api_key.issue by u_alice',
      'audit: service_account.create by u_alice',
    ]);
    expect(stdout).toContain('every call answered as expected');
    // Not a terminal: it says where the page is, and exits rather than serving on.
    expect(stdout).toMatch(
      /\nAPI management page: http:\/\/127\.0\.0\.1:\d+\/login \(sign in as alice \/ alice-demo-password\)\n/,
    );
    expect(stdout).not.toContain('serving until Ctrl-C');
    expect(stdout).toContain('`npm run demo -- --serve` keeps it open');
    expect(stdout).not.toMatch(/acme_(?:live|test)_[0-9A-Za-z]{16}_[0-9A-Za-z]{20,}/);
  });

  it('with --serve, keeps serving the sign-in form, the page and sample code naming its own port until SIGINT, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts', '--serve'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stdout, { timeout: 60_000, interval: 100 }).toContain('serving until Ctrl-C');
      const login = /API management page: (http:\/\/127\.0\.0\.1:\d+)\/login/.exec(stdout)?.[1];
      expect(login).toBeDefined();
      const form = await fetch(`${login}/login`);
      expect(form.status).toBe(200);
      expect(await form.text()).toContain('Sign in');
      const page = await fetch(`${login}/api/keyward/ui/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      // The sample code of a new key calls this server: the demo listens on port 0, so the port
      // must be the one it got, not the default.
      const signedIn = await fetch(`${login}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', password: 'alice-demo-password' }),
      });
      const { session } = (await signedIn.json()) as { session: string };
      const created = await fetch(`${login}/api/keyward/service-accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session': session },
        body: JSON.stringify({
          workspaceId: 'w_sales',
          name: 'copied-sample',
          roles: ['analyst'],
          firstKey: { name: 'laptop' },
        }),
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { key: { sampleCode?: { baseUrl: string } } };
      expect(body.key.sampleCode?.baseUrl).toBe(`${login}/workspaces/w_sales`);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 70_000);
});
