import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * `npm run demo -- --serve` tells people to open the management page, issue a key and copy its
 * sample code. That code must call the server the demo actually runs on (its port included: the
 * demo listens on port 0).
 */
describe('npm run demo -- --serve', () => {
  it("writes sample code whose base URL is the demo server's own origin (with its port)", async () => {
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
      const origin = /API management page: (http:\/\/127\.0\.0\.1:\d+)\/login/.exec(stdout)?.[1] as string;
      const login = await fetch(`${origin}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', password: 'alice-demo-password' }),
      });
      const { session } = (await login.json()) as { session: string };
      const created = await fetch(`${origin}/api/keyward/service-accounts`, {
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
      const body = (await created.json()) as { key: { sampleCode?: { baseUrl: string; curl: string } } };
      // The "secret shown once" dialog's curl line, and GET .../sample-code, use this base URL.
      expect(body.key.sampleCode?.baseUrl).toBe(`${origin}/workspaces/w_sales`);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
