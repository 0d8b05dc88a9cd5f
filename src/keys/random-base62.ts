import { BASE62, KEY_ID_LENGTH } from '../entities/ids.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { validateSecretLength } from './secret-length.js';

/** Bytes at or above this are rejected: 248 = 4 * 62, so `byte % 62` stays uniform. */
const REJECT_FROM = 248;

/** Web Crypto's per-call limit for `getRandomValues`. */
const MAX_RANDOM_BYTES = 65_536;

/**
 * `length` characters drawn uniformly from the base62 alphabet with the platform CSPRNG
 * (Web Crypto `getRandomValues`), by rejection sampling: no modulo bias.
 *
 * @internal
 */
export function randomBase62(length: number): string {
  const cryptoApi = globalThis.crypto;
  if (cryptoApi === undefined || typeof cryptoApi.getRandomValues !== 'function') {
    throw new KeywardError(ERROR_CODES.INTERNAL, 'Web Crypto getRandomValues is not available');
  }
  let out = '';
  while (out.length < length) {
    // Ask for ~10% more than needed: 3% of bytes are rejected, so one round nearly always suffices.
    const want = Math.min(MAX_RANDOM_BYTES, length - out.length + 8 + ((length - out.length) >> 3));
    const bytes = cryptoApi.getRandomValues(new Uint8Array(want));
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const byte = bytes[i]!;
      if (byte < REJECT_FROM) out += BASE62[byte % 62];
    }
    bytes.fill(0);
  }
  return out;
}

/**
 * A new key id: 16 random base62 characters (about 95 bits). Public: stored in clear,
 * indexed, shown in lists and logs.
 *
 * @example
 * ```ts
 * generateKeyId(); // '4f8Ws2Kd9QbZ1xLm'
 * ```
 */
export function generateKeyId(): string {
  return randomBase62(KEY_ID_LENGTH);
}

/**
 * A new token secret: `secretLength` (default 43, i.e. 256 bits) random base62 characters.
 * Throws `INVALID_CONFIG` for a length under 22 (128 bits) or over 128.
 *
 * @example
 * ```ts
 * generateSecret().length; // 43
 * ```
 */
export function generateSecret(secretLength?: number | undefined): string {
  return randomBase62(validateSecretLength(secretLength));
}
