/**
 * `keyward/keys`: the token format and its primitives: formatting and parsing
 * `<prefix>_<keyId>_<secret><crc>`, key generation, digests and hashers. Pure and synchronous,
 * Web APIs only. A keyward instance uses these itself; import them to mint or check tokens
 * outside of it (a migration, a CLI, a custom verifier).
 *
 * @example
 * ```ts
 * import { parseToken } from 'keyward/keys';
 *
 * const parsed = parseToken('acme_0123456789abcdef_secret', { prefix: 'acme' });
 * ```
 *
 * @packageDocumentation
 * @module keyward/keys
 */

export { BASE62, KEY_ID_LENGTH } from '../entities/ids.js';
export { crc32 } from '../keys/crc32.js';
export {
  type GeneratedKey,
  type GenerateKeyOptions,
  generateKey,
  START_SECRET_CHARS,
} from '../keys/key-generator.js';
export { nobleHasher } from '../keys/noble-hasher.js';
export { MIN_PEPPER_BYTES } from '../keys/pepper.js';
export { generateKeyId, generateSecret } from '../keys/random-base62.js';
export {
  DEFAULT_SECRET_LENGTH,
  MAX_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  validateSecretLength,
} from '../keys/secret-length.js';
export { timingSafeEqual } from '../keys/timing-safe-equal.js';
export { formatToken, TOKEN_CHECKSUM_LENGTH, type TokenParts, tokenLength } from '../keys/token-format.js';
export {
  createTokenHasher,
  HASH_VERSION_HMAC_SHA256,
  HASH_VERSION_SHA256,
  type TokenDigest,
  type TokenHasher,
  type TokenHasherOptions,
} from '../keys/token-hasher.js';
export {
  createTokenParser,
  type ParsedToken,
  type ParseTokenResult,
  parseToken,
  type TokenParseFailure,
  type TokenParseFailureReason,
  type TokenParser,
  type TokenParserOptions,
} from '../keys/token-parser.js';
export { MAX_TOKEN_PREFIX_LENGTH, validateTokenPrefix } from '../keys/token-prefix.js';
export { resolveTokenPrefixes, type TokenPrefixes } from '../keys/token-prefixes.js';
