import { describe, expect, it } from 'vitest';
import { protoMemberIssues } from '../../../src/errors/proto-members.js';

const issueAt = (path: PropertyKey[]) => ({
  code: 'unrecognized_keys',
  path,
  message: 'Unrecognized key: "__proto__"',
});

describe('protoMemberIssues', () => {
  it('names each object holding an own __proto__ member, in objects and arrays', () => {
    const input = JSON.parse('{"a":[{"b":1},{"__proto__":{}}],"metadata":{"__proto__":"x"}}');
    expect(protoMemberIssues(input)).toEqual(
      expect.arrayContaining([issueAt(['a', 1]), issueAt(['metadata'])]),
    );
    expect(protoMemberIssues(input)).toHaveLength(2);
  });

  it('finds nothing in inputs without one, constructor and prototype included', () => {
    expect(protoMemberIssues({ constructor: 'a', prototype: { b: [1, 'c'] }, when: new Date(0) })).toEqual(
      [],
    );
    expect(protoMemberIssues('text')).toEqual([]);
  });

  it('walks a deep or cyclic input without exhausting the stack, and stops at ten issues', () => {
    const deep = JSON.parse(`${'['.repeat(30_000)}{"__proto__":1}${']'.repeat(30_000)}`);
    expect(protoMemberIssues({ deep })).toHaveLength(1);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(protoMemberIssues(cyclic)).toEqual([]);
    const nested = JSON.parse(`${'{"__proto__":'.repeat(4000)}1${'}'.repeat(4000)}`);
    expect(protoMemberIssues(nested)).toHaveLength(10);
  });
});
