import { crc32 as zlibCrc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Test oracle: the token checksum computed independently (zlib CRC-32, base62 by repeated division). */
export function referenceChecksum(body: string): string {
  let value = zlibCrc32(body);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** A fixed key id and 43-char secret for examples. */
export const SAMPLE_KEY_ID = '4f8Ws2Kd9QbZ1xLm';
export const SAMPLE_SECRET = 'zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ';
