import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const POLICY = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/policy');

/** `from '...'` of a relative import or export. */
const SPECIFIER = /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Each file of `src/policy` (`engine/evaluate.ts`...) with what it imports, relative to the folder. */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(POLICY, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  return new Map(
    files.map((file) => {
      const from = join(POLICY, file);
      const targets = [...readFileSync(from, 'utf8').matchAll(SPECIFIER)].map((match) =>
        relative(POLICY, resolve(dirname(from), (match[1] as string).replace(/\.js$/, '.ts'))),
      );
      return [file.split(sep).join('/'), targets.map((t) => t.split(sep).join('/'))];
    }),
  );
}

function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    const at = path.indexOf(node);
    if (at >= 0) found.push([...path.slice(at), node].join(' -> '));
    if (at >= 0 || done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  return found;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const isEngine = (file: string) => file.startsWith('engine/');

describe('src/policy layering', () => {
  it('a concept imports the engine only in policy.ts, the factory that wires it', () => {
    const crossing = edges.filter((e) => !isEngine(e.from) && isEngine(e.to) && e.from !== 'policy.ts');
    expect(crossing).toEqual([]);
  });

  it('the engine never imports the factory or the index', () => {
    const back = edges.filter((e) => isEngine(e.from) && (e.to === 'policy.ts' || e.to === 'index.ts'));
    expect(back).toEqual([]);
  });

  it('files of src/policy import each other without a cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('leaves the folder only for entities and errors', () => {
    const outside = edges.filter((e) => e.to.startsWith('../'));
    expect(outside.filter((e) => !/^\.\.\/(entities|errors)\//.test(e.to))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
    ]);
    expect(cycles(cyclic)).toEqual(['a.ts -> b.ts -> a.ts']);
  });
});
