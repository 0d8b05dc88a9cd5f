import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from '../../../src/keys/index.js';

describe('timingSafeEqual', () => {
  it('answers true for equal strings, including empty ones', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual('é🔑', 'é🔑')).toBe(true);
  });

  it('answers false when strings differ at the first, a middle or the last position', () => {
    expect(timingSafeEqual('xbcd', 'abcd')).toBe(false);
    expect(timingSafeEqual('abxd', 'abcd')).toBe(false);
    expect(timingSafeEqual('abcx', 'abcd')).toBe(false);
  });

  it('answers false for different lengths, whichever is longer', () => {
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('abcd', 'abc')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
    expect(timingSafeEqual('a', '')).toBe(false);
    expect(timingSafeEqual('\u0000', '')).toBe(false);
  });

  it('compares byte arrays the same way', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([0, 0]), new Uint8Array([0]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([0]), new Uint8Array([0, 0]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('answers false when a string is compared with bytes', () => {
    expect(timingSafeEqual('a' as unknown as Uint8Array, new Uint8Array([97]))).toBe(false);
  });

  it('agrees with === on many random pairs', () => {
    for (let i = 0; i < 2000; i++) {
      const a = Math.random().toString(36).slice(2, 6);
      const b = Math.random() < 0.5 ? a : Math.random().toString(36).slice(2, 6);
      expect(timingSafeEqual(a, b)).toBe(a === b);
    }
  });
});
