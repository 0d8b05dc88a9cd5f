/**
 * API reports, one per entry point of package.json "exports": `api/keyward.api.md`,
 * `api/keyward-express.api.md`, `api/keyward-adapters-kysely.api.md`...
 *
 * `npm run api` (after `npm run build`) rewrites the reports from dist/*.d.ts. `npm run api:check`
 * (CI) changes nothing and fails, printing the difference, when a report is missing, stale, or
 * left over from an entry point that no longer exists: a change to the public surface shows up
 * in review as a change to api/.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const apiDir = join(root, 'api');
const configPath = join(apiDir, 'api-extractor.json');
const check = process.argv.includes('--check');

interface PackageJson {
  readonly name: string;
  readonly exports: Record<string, string | { readonly types?: string }>;
}

/** Each subpath with declarations, and the report it gets: `./adapters/kysely` -> keyward-adapters-kysely. */
function entryPoints(pkg: PackageJson): { readonly report: string; readonly types: string }[] {
  return Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    if (typeof target === 'string' || target.types === undefined) return [];
    const suffix = subpath === '.' ? '' : `-${subpath.slice(2).replaceAll('/', '-')}`;
    return [{ report: `${pkg.name}${suffix}`, types: target.types }];
  });
}

function main(): number {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const base = ExtractorConfig.loadFile(configPath);
  const entries = entryPoints(pkg);
  let failed = 0;
  for (const entry of entries) {
    const types = join(root, entry.types);
    if (!existsSync(types)) {
      console.error(`api: ${entry.types} is missing; run npm run build first`);
      failed++;
      continue;
    }
    const config = ExtractorConfig.prepare({
      configObject: {
        ...base,
        mainEntryPointFilePath: types,
        apiReport: { ...base.apiReport, enabled: true, reportFileName: entry.report },
      },
      configObjectFullPath: configPath,
      packageJsonFullPath: join(root, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: !check,
      printApiReportDiff: check,
      messageCallback: (message) => {
        // Updating a report is what `npm run api` is for; say so without counting it as a problem.
        if (
          !check &&
          (message.messageId === 'console-api-report-copied' ||
            message.messageId === 'console-api-report-created')
        ) {
          message.logLevel = ExtractorLogLevel.Info;
        }
      },
    });
    const status = result.succeeded ? (result.apiReportChanged && !check ? 'updated' : 'ok') : 'FAILED';
    console.log(`api: ${entry.report}.api.md ${status}`);
    if (!result.succeeded) failed++;
  }
  const expected = new Set(entries.map((entry) => `${entry.report}.api.md`));
  for (const file of readdirSync(apiDir).filter((name) => name.endsWith('.api.md') && !expected.has(name))) {
    if (check) {
      console.error(`api: api/${file} belongs to no entry point of package.json "exports"`);
      failed++;
    } else {
      rmSync(join(apiDir, file));
      console.log(`api: removed api/${file} (no such entry point)`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exit(main());
