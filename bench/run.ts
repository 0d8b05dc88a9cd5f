/**
 * Benchmark runner: `npm run bench` runs every suite, `npm run bench -- policy verify` runs
 * the named ones. Each suite lives in `bench/<name>.bench.ts` and exports `run()`; it prints a
 * table and writes its figures to `bench/results/<name>.json`. Benchmarks never run in `npm test`.
 *
 * Every suite runs in a child process of its own, with the V8 flags it needs: a suite that dies
 * (V8 aborting in cedar-wasm's JS-to-Wasm calls on Node 20, see SUITE_FLAGS) is reported and the
 * others still run; the runner exits non-zero only at the end.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SUITES = [
  'keys',
  'policy',
  'verify',
  'http',
  'express-steps',
  'last-used',
  'controls',
  'fleet',
  'cache',
] as const;
type Suite = (typeof SUITES)[number];

/**
 * Node flags per suite. `policy` loads @cedar-policy/cedar-wasm, whose calls Turbofan inlines on
 * Node 20 in a way that sometimes aborts the process (a V8 fatal error, not an exception); with
 * inlining of JS-to-Wasm calls off it runs every time.
 */
const SUITE_FLAGS: Readonly<Partial<Record<Suite, readonly string[]>>> = {
  policy: ['--no-turbo-inline-js-wasm-calls'],
};

const [, , ...args] = process.argv;
if (args[0] === '--suite') {
  // In the child: run one suite.
  const name = args[1] as Suite;
  console.log(`\n== bench: ${name} ==`);
  const suite = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
  await suite.run();
} else {
  const requested = args.filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${SUITES.join(', ')}`);
    process.exit(2);
  }
  const selected = (requested.length > 0 ? requested : [...SUITES]) as Suite[];
  const failed: string[] = [];
  for (const name of selected) {
    const code = await runSuite(name);
    if (code !== 0) {
      failed.push(`${name} (${code})`);
      console.error(`bench ${name} ended with ${code}; the other suites still run`);
    }
  }
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

/** Runs one suite in a child Node process with its flags; resolves with its exit code (or signal). */
function runSuite(name: Suite): Promise<number | string> {
  const child = spawn(
    process.execPath,
    [...(SUITE_FLAGS[name] ?? []), '--import', 'tsx', fileURLToPath(import.meta.url), '--suite', name],
    { stdio: 'inherit', env: process.env },
  );
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 1));
    child.on('error', () => resolve(1));
  });
}
