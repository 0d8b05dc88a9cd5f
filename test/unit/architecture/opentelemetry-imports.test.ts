import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** An import, re-export or dynamic import of an `@opentelemetry/*` package. */
const OTEL_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]@opentelemetry\//;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('@opentelemetry/api, an optional peer dependency', () => {
  it('is imported by keyward/opentelemetry alone: no other entry point needs it installed', () => {
    const importers = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'adapters'))]
      .filter((file) => OTEL_IMPORT.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file).split('\\').join('/'));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !file.startsWith('adapters/opentelemetry/'))).toEqual([]);
  });

  it('is used through the API alone, never an SDK package: the host picks its SDK', () => {
    const sdkImports = sourceFiles(join(ROOT, 'adapters/opentelemetry')).filter((file) =>
      /['"]@opentelemetry\/(?!api['"])/.test(readFileSync(file, 'utf8')),
    );
    expect(sdkImports).toEqual([]);
  });
});
