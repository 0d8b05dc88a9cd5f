/**
 * Type-checks every ```ts block of README.md and docs/*.md: `npm run check:docs` (run by CI).
 *
 * Each block becomes its own module under .tmp/doc-snippets/, compiled with the project's strict
 * settings against keyward's sources (`keyward`, `keyward/express`, ... map to them) and the
 * declarations in scripts/doc-snippet-context.d.ts. A free `app` is the Express, Fastify or Hono app of
 * the middleware the block imports. Errors are reported at the Markdown file and line.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.tmp', 'doc-snippets');

/** Package import paths and the sources they stand for. */
const SUBPATHS: Record<string, string> = {
  keyward: 'src/index.ts',
  'keyward/policy': 'src/entries/policy.ts',
  'keyward/keys': 'src/entries/keys.ts',
  'keyward/http': 'src/entries/http.ts',
  'keyward/schemas': 'src/entries/schemas.ts',
  'keyward/storage': 'src/entries/storage.ts',
  'keyward/node': 'adapters/node/index.ts',
  'keyward/adapters/memory': 'adapters/memory/index.ts',
  'keyward/adapters/kysely': 'adapters/kysely/index.ts',
  'keyward/express': 'adapters/express/index.ts',
  'keyward/fastify': 'adapters/fastify/index.ts',
  'keyward/hono': 'adapters/hono/index.ts',
  'keyward/opentelemetry': 'adapters/opentelemetry/index.ts',
  'keyward/redis': 'adapters/redis/index.ts',
  'keyward/testing': 'src/testing/index.ts',
};

interface Snippet {
  readonly markdown: string;
  /** Line of the block's first code line in the Markdown file (1-based). */
  readonly line: number;
  readonly code: string;
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...docs];
}

function snippetsOf(markdown: string): Snippet[] {
  const lines = readFileSync(join(root, markdown), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] as string)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] as string).startsWith('```')) end++;
    found.push({ markdown, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return found;
}

/** The declaration of a free `app` for blocks that mount framework middleware. */
function appPrelude(code: string): string {
  if (/\bapp\b/.test(code) && !/\b(const|let)\s+app\b/.test(code)) {
    if (code.includes("'keyward/express'")) return "declare const app: import('express').Express; ";
    if (code.includes("'keyward/fastify'")) return "declare const app: import('fastify').FastifyInstance; ";
    if (code.includes("'keyward/hono'")) return "declare const app: import('hono').Hono; ";
  }
  return '';
}

function main(): number {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const snippets = markdownFiles().flatMap(snippetsOf);
  const files = new Map<string, Snippet>();
  snippets.forEach((snippet, index) => {
    const name = join(outDir, `${snippet.markdown.replace(/[/.]/g, '_')}_${index}.ts`);
    // The prelude stays on the first line, so snippet lines keep their numbers (plus one).
    writeFileSync(name, `${appPrelude(snippet.code)}export {};\n${snippet.code}\n`);
    files.set(name, snippet);
  });
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const paths = Object.fromEntries(Object.entries(SUBPATHS).map(([name, file]) => [name, [file]]));
  const program = ts.createProgram({
    rootNames: [...files.keys(), join(root, 'scripts', 'doc-snippet-context.d.ts')],
    options: { ...parsed.options, baseUrl: root, paths, noEmit: true, noUnusedLocals: false },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(d.file.fileName));
  for (const diagnostic of diagnostics) {
    const file = diagnostic.file as ts.SourceFile;
    const snippet = files.get(file.fileName) as Snippet;
    const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    console.error(`${snippet.markdown}:${snippet.line + line - 1}: TS${diagnostic.code}: ${message}`);
  }
  const others = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !(d.file && files.has(d.file.fileName)) && d.category === ts.DiagnosticCategory.Error);
  for (const diagnostic of others.slice(0, 10)) {
    const where = diagnostic.file ? relative(root, diagnostic.file.fileName) : 'config';
    console.error(
      `${where}: TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  }
  const failed = diagnostics.length + others.length;
  console.log(`doc snippets: ${snippets.length} blocks in ${markdownFiles().length} files, ${failed} errors`);
  return failed === 0 ? 0 : 1;
}

process.exit(main());
