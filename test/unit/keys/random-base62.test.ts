import { afterEach, describe, expect, it, vi } from 'vitest';
import { BASE62 } from '../../../src/entities/ids.js';
import { generateKeyId, generateSecret } from '../../../src/keys/index.js';

const BASE62_ONLY = /^[0-9A-Za-z]+$/;

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('generateKeyId', () => {
  it('returns 16 base62 characters, different each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateKeyId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{16}$/);
  });
});

describe('generateSecret', () => {
  it('returns 43 base62 characters by default and honours a length', () => {
    expect(generateSecret()).toMatch(/^[0-9A-Za-z]{43}$/);
    expect(generateSecret(22)).toHaveLength(22);
    expect(generateSecret(128)).toHaveLength(128);
  });

  it('refuses secrets under 128 bits with INVALID_CONFIG', () => {
    expect(() => generateSecret(21)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('rejects random bytes of 248 and above instead of reducing them (no modulo bias)', () => {
    const feed = [255, 248, 0, 61, 62, 247, 250, 123];
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array: ArrayBufferView) => {
      const bytes = array as Uint8Array;
      for (let i = 0; i < bytes.length; i++) bytes[i] = feed[i % feed.length]!;
      return array;
    });
    // Accepted bytes in order: 0, 61, 62, 247, 123 -> 0 % 62, 61, 0, 247 % 62 = 61, 123 % 62 = 61.
    expect(generateSecret(22).slice(0, 5)).toBe(
      `${BASE62[0]}${BASE62[61]}${BASE62[0]}${BASE62[61]}${BASE62[61]}`,
    );
  });

  it('keeps asking for bytes until it has enough accepted ones', () => {
    let calls = 0;
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array: ArrayBufferView) => {
      calls++;
      (array as Uint8Array).fill(calls < 3 ? 255 : 7);
      return array;
    });
    expect(generateSecret(30)).toBe(BASE62[7]!.repeat(30));
    expect(calls).toBe(3);
  });

  it('draws every base62 character about equally often', () => {
    const counts = new Map<string, number>();
    let total = 0;
    while (total < 62 * 2000) {
      for (const char of generateSecret(128)) counts.set(char, (counts.get(char) ?? 0) + 1);
      total += 128;
    }
    expect(counts.size).toBe(62);
    const expected = total / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
  });

  it('fails with INTERNAL when Web Crypto is missing', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => generateKeyId()).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('produces only base62 text', () => {
    for (let i = 0; i < 200; i++) expect(generateSecret()).toMatch(BASE62_ONLY);
  });
});
