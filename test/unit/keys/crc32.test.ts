import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/keys/index.js';

describe('crc32', () => {
  it('matches the standard IEEE check value for "123456789"', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('matches known vectors', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('a')).toBe(0xe8b7be43);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(crc32(new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]))).toBe(0xcbf43926);
  });

  it('reads strings as UTF-8 and agrees with zlib on arbitrary input', () => {
    const inputs = ['é', 'héllo wörld', '🔑 key', 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53', '\u0000\u00ff\u0100'];
    for (const input of inputs) expect(crc32(input)).toBe(zlibCrc32(input));
  });

  it('always answers an unsigned 32-bit integer', () => {
    const value = crc32('123456789');
    expect(value).toBeGreaterThan(0x7fffffff);
    expect(Number.isInteger(value)).toBe(true);
  });
});
