import { generateKeyId, randomBase62 } from './random-base62.js';
import { validateSecretLength } from './secret-length.js';
import { assertKeyId, formatToken } from './token-format.js';
import type { TokenHasher } from './token-hasher.js';
import { validateTokenPrefix } from './token-prefix.js';

/** Secret characters kept in {@link GeneratedKey.start}. */
export const START_SECRET_CHARS = 4;

/** Options of {@link generateKey}. */
export interface GenerateKeyOptions {
  /** The host's token prefix. */
  prefix: string;
  /** Hashes the new token for storage. */
  hasher: TokenHasher;
  /** Keep this key id (regenerate): only the secret changes. Default: a new id. */
  keyId?: string | undefined;
  /** Secret length in characters, 22-128; default 43 (256 bits). */
  secretLength?: number | undefined;
}

/** A freshly generated key. `token` is shown to the caller once and never stored. */
export interface GeneratedKey {
  /** The public key id. */
  readonly keyId: string;
  /** The full token `<prefix>_<keyId>_<secret><crc>`: return it once, never store or log it. */
  readonly token: string;
  /** Digest of the token, to store. */
  readonly hash: string;
  /** Digest version, to store. */
  readonly hashVersion: number;
  /** Pepper of the digest, to store. */
  readonly pepperId: string | null;
  /** `<prefix>_<keyId>_` plus the first 4 secret characters, to show in key lists. */
  readonly start: string;
}

/**
 * Generates a token with a CSPRNG secret and hashes it. Pass `keyId` to regenerate a key's
 * secret while keeping its id. Throws `INVALID_CONFIG` for a bad prefix or secret length
 * and `INVALID_INPUT` for a malformed `keyId`.
 *
 * @example
 * ```ts
 * const key = generateKey({ prefix: 'acme', hasher: createTokenHasher() });
 * store({ id: key.keyId, hash: key.hash, hashVersion: key.hashVersion, pepperId: key.pepperId, start: key.start });
 * return key.token; // shown once
 * ```
 */
export function generateKey(options: GenerateKeyOptions): GeneratedKey {
  const prefix = validateTokenPrefix(options.prefix);
  const secretLength = validateSecretLength(options.secretLength);
  const keyId = options.keyId ?? generateKeyId();
  assertKeyId(keyId);
  const secret = randomBase62(secretLength);
  const token = formatToken({ prefix, keyId, secret });
  const digest = options.hasher.hash(token);
  return {
    keyId,
    token,
    hash: digest.hash,
    hashVersion: digest.hashVersion,
    pepperId: digest.pepperId,
    start: token.slice(0, prefix.length + 1 + keyId.length + 1 + START_SECRET_CHARS),
  };
}
