import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../adapters/memory/index.js';
import { runStorageConformance } from '../../src/testing/index.js';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./fixtures/node-test-conformance.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How many tests the suite registers: what vitest runs in test/conformance/memory.test.ts. */
function registeredTests(): number {
  let count = 0;
  const hook = (): void => {};
  runStorageConformance({
    name: 'count',
    createAdapter: () => memoryAdapter(),
    runner: {
      describe: (_name, body) => body(),
      it: () => {
        count++;
      },
      beforeAll: hook,
      afterAll: hook,
      beforeEach: hook,
    },
  });
  return count;
}

/** Runs the fixture with `node --test` (TAP reporter) and reads its summary. */
async function nodeTest(env: Record<string, string> = {}) {
  const outcome = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout }) => ({ exitCode: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({
      exitCode: error.code ?? -1,
      stdout: error.stdout ?? '',
    }),
  );
  const summary = (name: string): number =>
    Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(outcome.stdout)?.[1]);
  return { ...outcome, tests: summary('tests'), pass: summary('pass'), fail: summary('fail') };
}

describe('keyward/testing under node:test', () => {
  it("runs the conformance suite with node:test's describe/it/before/after/beforeEach: every test passes, as many as under vitest", async () => {
    const expected = registeredTests();
    expect(expected).toBeGreaterThan(90);
    const result = await nodeTest();
    expect(result).toMatchObject({ exitCode: 0, tests: expected, pass: expected, fail: 0 });
  }, 120_000);

  it('fails under node:test when the adapter is broken: the assertions need no runner expect', async () => {
    const result = await nodeTest({ KEYWARD_BROKEN_ADAPTER: '1' });
    expect(result.exitCode).not.toBe(0);
    expect(result.tests).toBe(registeredTests());
    expect(result.fail).toBeGreaterThan(0);
    expect(result.stdout).toContain('AssertionError');
  }, 120_000);
});
