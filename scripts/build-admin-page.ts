/**
 * `npm run build:page` (and the second half of `npm run build`): bundles the API management page
 * into `dist/admin-page/`, where every mount of the management API reads it from when the host
 * opts in (`adminPage`):
 *
 * - `admin-page/main.tsx` -> `app.js`: one ES module, minified, ES2022, Preact bundled in;
 * - `admin-page/styles.css` -> `app.css`: minified.
 *
 * Prints the raw and gzip size of each asset and exits non-zero when the gzip total reaches the
 * budget (60 KB). `--entry <file>` and `--styles <file>` build other sources (a throwaway page).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'dist', 'admin-page');
/** The budget of the page: its gzip-compressed assets together stay under this many bytes. */
const GZIP_BUDGET_BYTES = 60 * 1024;

const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: join(ROOT, 'admin-page', 'main.tsx') },
    styles: { type: 'string', default: join(ROOT, 'admin-page', 'styles.css') },
  },
});

const started = performance.now();
mkdirSync(OUT_DIR, { recursive: true });
// `nodePaths`: sources outside the repository (`--entry /tmp/...`) still find its Preact.
const shared = {
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  nodePaths: [join(ROOT, 'node_modules')] as string[],
} as const;
const built = Promise.all([
  build({
    ...shared,
    entryPoints: [values.entry],
    outfile: join(OUT_DIR, 'app.js'),
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
  build({ ...shared, entryPoints: [values.styles], outfile: join(OUT_DIR, 'app.css') }),
]);
// esbuild has printed what failed: exit with its status, without a stack trace.
if (
  !(await built.then(
    () => true,
    () => false,
  ))
) {
  console.error('keyward: the admin page did not build');
  process.exit(1);
}

let gzipTotal = 0;
for (const name of ['app.js', 'app.css']) {
  const bytes = readFileSync(join(OUT_DIR, name));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  gzipTotal += gzip;
  console.log(
    `  ${relative(ROOT, join(OUT_DIR, name)).padEnd(24)} ${kb(bytes.length)} raw  ${kb(gzip)} gzip`,
  );
}
const elapsed = Math.round(performance.now() - started);
console.log(`  total ${kb(gzipTotal)} gzip (budget ${kb(GZIP_BUDGET_BYTES)}), built in ${elapsed} ms`);
if (gzipTotal >= GZIP_BUDGET_BYTES) {
  console.error(
    `keyward: the admin page is ${kb(gzipTotal)} gzipped, over its budget of ${kb(GZIP_BUDGET_BYTES)}`,
  );
  process.exitCode = 1;
}

/** `bytes` in kilobytes (1024 bytes), one decimal. */
function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`.padStart(8);
}
