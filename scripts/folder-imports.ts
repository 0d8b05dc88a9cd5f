/**
 * Lists which folders of `src/` import which: `npx tsx scripts/folder-imports.ts`.
 *
 * A node is a top-level folder of `src/` (`policy`, `verify`...), a file at the root of `src/`
 * (`keyward.ts`), or, inside `src/management/` and `src/request-controls/`, the shared root
 * (`management`) and each subfolder (`management/keys`, `request-controls/ip`...). `test/unit/architecture/folder-imports.test.ts` checks that
 * the graph has no cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * Folders whose subfolders are nodes of their own (`request-controls/ip` is a pure leaf that
 * entity schemas use to read allowlists; the rest of `request-controls` sits beside `verify`).
 */
const SPLIT = new Set(['management', 'request-controls']);

/** `from '...'` of an import or export, and `import('...')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The node a file of `src/` belongs to. */
export function nodeOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  const [top, second] = parts;
  if (parts.length === 1 || top === undefined) return top ?? '';
  if (SPLIT.has(top) && parts.length > 2 && second !== undefined) return `${top}/${second}`;
  return top;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every node of `src/` and the nodes it imports (itself left out). */
export function folderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const to = nodeOf(resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts')));
      if (to !== from) targets.add(to);
    }
  }
  return graph;
}

/** The cycles of `graph`, each as the path that closes it (`a -> b -> a`); none when acyclic. */
export function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    const seen = path.indexOf(node);
    if (seen >= 0) {
      cycles.push([...path.slice(seen), node].join(' -> '));
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const graph = folderImports();
  for (const [from, targets] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${from} -> ${[...targets].sort().join(', ') || '(nothing)'}`);
  }
  const cycles = cyclesOf(graph);
  console.log(cycles.length === 0 ? 'no cycle' : `cycles:\n  ${cycles.join('\n  ')}`);
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
