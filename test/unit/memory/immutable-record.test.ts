import { describe, expect, it } from 'vitest';
import { freezeRecord, immutableDate } from '../../../adapters/memory/immutable-record.js';

describe('freezeRecord', () => {
  it('returns a deep copy that is frozen at every level and leaves the input untouched', () => {
    const input = { roles: ['reader'], nested: { list: [{ deep: 1 }] }, when: new Date(5) };
    const frozen = freezeRecord(input);
    expect(frozen).toEqual(input);
    expect(frozen).not.toBe(input);
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(Object.isFrozen(frozen.roles)).toBe(true);
    expect(Object.isFrozen(frozen.nested.list[0])).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
    input.roles.push('writer');
    input.when.setTime(9);
    expect(frozen.roles).toEqual(['reader']);
    expect(frozen.when.getTime()).toBe(5);
  });

  it('drops properties holding undefined, as a JSON column would', () => {
    const frozen = freezeRecord({ ip: undefined, requestId: 'r1' } as {
      ip?: string | undefined;
      requestId: string;
    });
    expect(Object.keys(frozen)).toEqual(['requestId']);
  });

  it('keeps a key named __proto__ as a plain property without changing the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "plain": 1}') as Record<string, unknown>;
    const frozen = freezeRecord(input);
    expect(Object.getPrototypeOf(frozen)).toBe(Object.prototype);
    expect(Object.keys(frozen).sort()).toEqual(['__proto__', 'plain']);
    expect((frozen as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('immutableDate', () => {
  it('is a Date equal to the original whose setters throw', () => {
    const date = immutableDate(new Date('2025-03-14T15:09:26.535Z'));
    expect(date).toBeInstanceOf(Date);
    expect(date.constructor).toBe(Date);
    expect(date).toEqual(new Date('2025-03-14T15:09:26.535Z'));
    expect(date.toISOString()).toBe('2025-03-14T15:09:26.535Z');
    expect(JSON.stringify({ date })).toBe('{"date":"2025-03-14T15:09:26.535Z"}');
    expect(() => date.setTime(0)).toThrow(TypeError);
    expect(() => date.setUTCFullYear(2000)).toThrow(TypeError);
    expect(() => date.setMilliseconds(1)).toThrow(TypeError);
    expect(date.getTime()).toBe(Date.parse('2025-03-14T15:09:26.535Z'));
  });

  it('survives structuredClone as a plain, writable Date', () => {
    const copy = structuredClone(immutableDate(new Date(1234)));
    expect(Object.getPrototypeOf(copy)).toBe(Date.prototype);
    copy.setTime(99);
    expect(copy.getTime()).toBe(99);
  });
});
