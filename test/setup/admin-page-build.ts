import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Vitest global setup: builds the API management page (`scripts/build-admin-page.ts`, the same
 * build as `npm run build:page`) once before any test, so the example servers, which mount the
 * page, serve the assets of the code under test rather than a stale `dist/admin-page/`. A failed
 * build (a compile error, assets over the size budget) fails the run with the build's output.
 */
export default async function setup(): Promise<void> {
  const started = performance.now();
  const { code, output } = await runBuild();
  if (code !== 0) throw new Error(`keyward: building the admin page failed (exit ${code}):\n${output}`);
  console.log(`keyward: admin page built in ${Math.round(performance.now() - started)} ms`);
}

/** Runs the build script under tsx in a child process; its exit code and combined output. */
function runBuild(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-admin-page.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
