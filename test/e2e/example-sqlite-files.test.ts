import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = process.cwd();
const tsx = createRequire(join(repo, 'package.json')).resolve('tsx');

/** The names of `names` that the repository's ignore rules do not ignore at its root. */
function notIgnored(names: readonly string[]): string[] {
  let ignored = '';
  try {
    ignored = execFileSync('git', ['check-ignore', '--no-index', ...names], { cwd: repo }).toString();
  } catch (error) {
    ignored = String((error as { stdout?: Buffer }).stdout ?? ''); // exit 1: none ignored
  }
  const set = new Set(ignored.split('\n').filter(Boolean));
  return names.filter((name) => !set.has(name));
}

/**
 * examples/README.md: each server keeps keyward's tables in `keyward-example.sqlite` (in the
 * directory it is started from: the repository root, as the README's commands show). Every file
 * that store writes there must be ignored, or `git status` shows it and `git add -A` commits a
 * database of key hashes and audit events.
 */
describe('the example servers over their default SQLite file', () => {
  it('write only files the repository ignores', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'keyward-example-cwd-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env.DATABASE_URL;
    delete env.KEYWARD_SQLITE_PATH;
    const child = spawn(process.execPath, ['--import', tsx, join(repo, 'examples/express/server.ts')], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await expect
        .poll(() => stdout, { timeout: 30_000, interval: 100 })
        .toContain('keyward Express example');
      const written = readdirSync(cwd).sort();
      expect(written).toContain('keyward-example.sqlite');
      expect(notIgnored(written)).toEqual([]);
    } finally {
      child.kill('SIGINT');
      await exited;
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
