import { describe, expect, it } from 'vitest';
import { cyclesOf, folderImports } from '../../../scripts/folder-imports.js';

const graph = folderImports();
const importsOf = (node: string): string[] => [...(graph.get(node) ?? [])];

describe('folder imports of src/', () => {
  it('form no cycle', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('keep the request path free of the management layer', () => {
    expect(importsOf('verify').filter((node) => node.startsWith('management'))).toEqual([]);
  });

  it('keep the shared management call path free of the operations built on it', () => {
    expect(importsOf('management').filter((node) => node.startsWith('management/'))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const cyclic = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['a'])],
    ]);
    expect(cyclesOf(cyclic)).toEqual(['a -> b -> a']);
  });
});
