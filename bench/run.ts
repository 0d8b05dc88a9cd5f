/**
 * Benchmark runner: `npm run bench` runs every suite, `npm run bench -- policy verify` runs
 * the named ones. Each suite lives in `bench/<name>.bench.ts` and exports `run()`; it prints a
 * table and writes its figures to `bench/results/<name>.json`. Benchmarks never run in `npm test`.
 */
const SUITES = ['keys', 'policy', 'verify', 'http', 'last-used', 'controls'] as const;

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !(SUITES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${SUITES.join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : [...SUITES];

for (const name of selected) {
  console.log(`\n== bench: ${name} ==`);
  const suite = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
  await suite.run();
}
