/**
 * Token format, generation, parsing and hashing: `<prefix>_<keyId>_<secret><crc>`.
 * Pure and synchronous; Web APIs only.
 *
 * @module
 */
export { crc32 } from './crc32.js';
export type { Hasher } from './hasher.js';
export {
  type GeneratedKey,
  type GenerateKeyOptions,
  generateKey,
  START_SECRET_CHARS,
} from './key-generator.js';
export { nobleHasher } from './noble-hasher.js';
export { MIN_PEPPER_BYTES, type Pepper, pepperIdSchema } from './pepper.js';
export { generateKeyId, generateSecret } from './random-base62.js';
export {
  DEFAULT_SECRET_LENGTH,
  MAX_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  secretLengthSchema,
  validateSecretLength,
} from './secret-length.js';
export { timingSafeEqual } from './timing-safe-equal.js';
export { formatToken, TOKEN_CHECKSUM_LENGTH, type TokenParts, tokenLength } from './token-format.js';
export {
  createTokenHasher,
  HASH_VERSION_HMAC_SHA256,
  HASH_VERSION_SHA256,
  type TokenDigest,
  type TokenHasher,
  type TokenHasherOptions,
} from './token-hasher.js';
export {
  createTokenParser,
  type ParsedToken,
  type ParseTokenResult,
  parseToken,
  type TokenParseFailure,
  type TokenParseFailureReason,
  type TokenParser,
  type TokenParserOptions,
} from './token-parser.js';
export { MAX_TOKEN_PREFIX_LENGTH, tokenPrefixSchema, validateTokenPrefix } from './token-prefix.js';
export { resolveTokenPrefixes, type TokenPrefixes, tokenPrefixesSchema } from './token-prefixes.js';
