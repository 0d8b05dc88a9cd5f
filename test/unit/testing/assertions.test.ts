import { describe, expect, it } from 'vitest';
import { KeywardError } from '../../../src/errors/keyward-error.js';
import {
  AssertionError,
  assert,
  assertDeepEqual,
  assertEqual,
  assertLength,
  assertMatches,
  rejection,
} from '../../../src/testing/assertions.js';

/** The message of the AssertionError `check` throws. */
function failure(check: () => void): string {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return (error as Error).message;
  }
  throw new Error('expected the assertion to fail');
}

describe("the conformance suite's own assertions", () => {
  it('assertEqual compares with Object.is and names the label', () => {
    assertEqual(NaN, NaN);
    const record = {};
    assertEqual(record, record);
    expect(failure(() => assertEqual({}, {}, 'same object'))).toBe('same object: expected {}, got {}');
    expect(failure(() => assertEqual(0, -0))).toBe('value: expected -0, got 0');
    expect(failure(() => assertEqual(null, undefined))).toBe('value: expected undefined, got null');
  });

  it('assertDeepEqual compares values as toEqual does and points at the first difference', () => {
    const at = new Date('2025-01-01T00:00:00.001Z');
    assertDeepEqual(
      { id: 'a', at, tags: ['x'], nested: { n: 1n }, gone: undefined },
      { id: 'a', at: new Date(at.getTime()), tags: ['x'], nested: { n: 1n } },
    );
    assertDeepEqual(new Set(['a', 'b']), new Set(['b', 'a']));
    assertDeepEqual(new Map([['k', { v: 1 }]]), new Map([['k', { v: 1 }]]));
    expect(failure(() => assertDeepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }, 'ids'))).toBe(
      'ids at .a[1].b: expected 3, got 2',
    );
    expect(failure(() => assertDeepEqual(['a', 'b'], ['a']))).toBe(
      'value: expected ["a"], got ["a", "b"] (length 2, expected 1)',
    );
    expect(failure(() => assertDeepEqual({ a: 1, extra: 2 }, { a: 1 }))).toBe(
      'value at .extra: expected undefined, got 2 (unexpected)',
    );
    expect(failure(() => assertDeepEqual({}, { a: null }))).toBe(
      'value at .a: expected null, got undefined (missing)',
    );
    expect(failure(() => assertDeepEqual(at, new Date(at.getTime() + 1)))).toBe(
      'value: expected 2025-01-01T00:00:00.002Z, got 2025-01-01T00:00:00.001Z',
    );
    expect(failure(() => assertDeepEqual({ at: at.toISOString() }, { at }))).toMatch(/^value at \.at:/);
    expect(failure(() => assertDeepEqual(new Set(['a', 'c']), new Set(['a', 'b'])))).toMatch(
      /not in the expected set/,
    );
    expect(failure(() => assertDeepEqual({ length: 0 }, []))).toMatch(/^value: expected \[\]/);
  });

  it('assertMatches checks only the pattern, reads inherited properties, and keeps array lengths', () => {
    const error = new KeywardError('CONFLICT', 'Storage rejected a conflicting write');
    assertMatches(error, { name: 'KeywardError', code: 'CONFLICT' });
    assertMatches({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } });
    expect(failure(() => assertMatches(error, { code: 'NOT_FOUND' }))).toBe(
      'value at .code: expected "NOT_FOUND", got "CONFLICT"',
    );
    expect(failure(() => assertMatches({ list: [1, 2] }, { list: [1] }))).toMatch(/length 2, expected 1/);
    expect(failure(() => assertMatches(null, { code: 'X' }))).toBe('value: expected {code: "X"}, got null');
  });

  it('assertLength, assert and rejection say what they found', async () => {
    assertLength([1, 2], 2);
    expect(failure(() => assertLength(['a'], 2, 'keys'))).toBe('keys: expected length 2, got 1: ["a"]');
    expect(failure(() => assert(false, 'adapter name is empty'))).toBe('adapter name is empty');
    const reason = new Error('boom');
    expect(await rejection(Promise.reject(reason))).toBe(reason);
    await expect(rejection(Promise.resolve(42), 'a revoke')).rejects.toThrow(
      'a revoke: expected a rejection, got 42',
    );
  });

  it('long values are cut in messages, cycles shown', () => {
    const long = 'x'.repeat(500);
    expect(failure(() => assertEqual(long, 'y')).length).toBeLessThan(200);
    const cyclic: Record<string, unknown> = { id: 'a' };
    cyclic.self = cyclic;
    expect(failure(() => assertEqual(cyclic, 1))).toContain('[circular]');
  });
});
