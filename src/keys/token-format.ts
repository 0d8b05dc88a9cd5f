import { KEY_ID_LENGTH } from '../entities/ids.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { encodeBase62Fixed, isBase62 } from './base62.js';
import { CRC32_INIT, crc32Final, crc32UpdateAscii } from './crc32.js';
import { MAX_SECRET_LENGTH, MIN_SECRET_LENGTH } from './secret-length.js';
import { validateTokenPrefix } from './token-prefix.js';

/** Length of the checksum at the end of a token: CRC-32 as 6 base62 characters. */
export const TOKEN_CHECKSUM_LENGTH = 6;

/** The parts a token is made of. */
export interface TokenParts {
  /** The host's token prefix, e.g. `acme` or `acme_live`. */
  prefix: string;
  /** The public key id: 16 base62 characters. */
  keyId: string;
  /** The secret: 22-128 base62 characters (43 by default). */
  secret: string;
}

/**
 * Total length of a token for a prefix and secret length:
 * `prefix + '_' + keyId + '_' + secret + crc`.
 *
 * @example
 * ```ts
 * tokenLength('acme', 43); // 71
 * ```
 */
export function tokenLength(prefix: string, secretLength: number): number {
  return prefix.length + 1 + KEY_ID_LENGTH + 1 + secretLength + TOKEN_CHECKSUM_LENGTH;
}

/**
 * The 6-character base62 CRC-32 of `text[0..end)` (ASCII), left-padded with `0`.
 *
 * @internal
 */
export function tokenChecksum(text: string, end: number = text.length): string {
  return encodeBase62Fixed(crc32Final(crc32UpdateAscii(CRC32_INIT, text, 0, end)), TOKEN_CHECKSUM_LENGTH);
}

/**
 * Assembles a token `<prefix>_<keyId>_<secret><crc>`. Throws `INVALID_CONFIG` for a bad
 * prefix and `INVALID_INPUT` for a malformed key id or secret (the values are never echoed).
 *
 * @example
 * ```ts
 * formatToken({ prefix: 'acme', keyId: generateKeyId(), secret: generateSecret() });
 * // 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC'
 * ```
 */
export function formatToken(parts: TokenParts): string {
  const prefix = validateTokenPrefix(parts.prefix);
  assertKeyId(parts.keyId);
  const { secret } = parts;
  if (
    typeof secret !== 'string' ||
    secret.length < MIN_SECRET_LENGTH ||
    secret.length > MAX_SECRET_LENGTH ||
    !isBase62(secret)
  ) {
    throw new KeywardError(
      ERROR_CODES.INVALID_INPUT,
      `Invalid secret: expected ${MIN_SECRET_LENGTH}-${MAX_SECRET_LENGTH} base62 characters`,
    );
  }
  const body = `${prefix}_${parts.keyId}_${secret}`;
  return body + tokenChecksum(body);
}

/**
 * Throws `INVALID_INPUT` unless `keyId` is 16 base62 characters.
 *
 * @internal
 */
export function assertKeyId(keyId: unknown): asserts keyId is string {
  if (typeof keyId !== 'string' || keyId.length !== KEY_ID_LENGTH || !isBase62(keyId)) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid key id: expected 16 base62 characters');
  }
}
