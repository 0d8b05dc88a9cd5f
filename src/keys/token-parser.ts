import { KEY_ID_LENGTH } from '../entities/ids.js';
import { base62DigitTable } from './base62.js';
import { CRC32_INIT, crc32Final, crc32UpdateAscii } from './crc32.js';
import { DEFAULT_SECRET_LENGTH, validateSecretLength } from './secret-length.js';
import { TOKEN_CHECKSUM_LENGTH, tokenLength } from './token-format.js';
import { validateTokenPrefix } from './token-prefix.js';

/**
 * Why a token was rejected. Checks run in this order: `not_a_string`; `empty`; a wrong
 * length answers `wrong_prefix` when the string is longer than `<prefix>_` and does not
 * start with it, else `wrong_length`; at the right length, `wrong_prefix`, then
 * `bad_characters` (outside base62, or a missing `_` after the key id), then `bad_checksum`.
 */
export type TokenParseFailureReason =
  | 'empty'
  | 'not_a_string'
  | 'wrong_prefix'
  | 'wrong_length'
  | 'bad_characters'
  | 'bad_checksum';

/** A well-formed token: right prefix, length, alphabet and checksum. Not yet verified. */
export interface ParsedToken {
  readonly ok: true;
  /** The public key id, for the storage lookup. */
  readonly keyId: string;
  /** The whole token, to hash and compare. */
  readonly token: string;
}

/** A rejected token. Failure results are shared frozen objects: compare `reason`, not identity. */
export interface TokenParseFailure {
  readonly ok: false;
  readonly reason: TokenParseFailureReason;
}

/** What {@link parseToken} answers. */
export type ParseTokenResult = ParsedToken | TokenParseFailure;

/** Options of {@link createTokenParser} and {@link parseToken}. */
export interface TokenParserOptions {
  /** The host's token prefix (validated: see {@link validateTokenPrefix}). */
  prefix: string;
  /** Secret length in characters; default 43. */
  secretLength?: number | undefined;
}

/** A token parser with everything precomputed. Never throws, whatever it is given. */
export type TokenParser = (token: unknown) => ParseTokenResult;

/** Builds the shared, frozen failure result for `reason`. */
function failure(reason: TokenParseFailureReason): TokenParseFailure {
  return Object.freeze({ ok: false, reason });
}

const EMPTY = failure('empty');
const NOT_A_STRING = failure('not_a_string');
const WRONG_PREFIX = failure('wrong_prefix');
const WRONG_LENGTH = failure('wrong_length');
const BAD_CHARACTERS = failure('bad_characters');
const BAD_CHECKSUM = failure('bad_checksum');

/** Digit value by ASCII char code, -1 for non-base62 (module-local for speed). */
const DIGIT = base62DigitTable();

/** Char code of `_`. */
const UNDERSCORE = 95;

/** True when every char of `text[start..end)` is ASCII base62. */
function base62Run(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code > 127 || DIGIT[code]! < 0) return false;
  }
  return true;
}

/** The value of the base62 checksum `text[start..end)`, or -1 on a non-base62 char. */
function readChecksum(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code > 127 ? -1 : DIGIT[code]!;
    if (digit < 0) return -1;
    value = value * 62 + digit;
  }
  return value;
}

/**
 * Returns a parser for one prefix and secret length, with the expected length, the prefix
 * and the prefix's CRC state computed once. The parser checks the length first, then the
 * prefix, the alphabet and the checksum, without touching storage or allocating anything
 * but the success result. Throws `INVALID_CONFIG` (here, once) for bad options.
 *
 * @example
 * ```ts
 * const parse = createTokenParser({ prefix: 'acme' });
 * const result = parse(req.headers['x-api-key']);
 * if (result.ok) lookUp(result.keyId);
 * else log(result.reason); // e.g. 'bad_checksum'
 * ```
 */
export function createTokenParser(options: TokenParserOptions): TokenParser {
  const prefix = validateTokenPrefix(options.prefix);
  const secretLength = validateSecretLength(options.secretLength);
  const head = `${prefix}_`;
  const keyIdStart = head.length;
  const keyIdEnd = keyIdStart + KEY_ID_LENGTH;
  const expectedLength = tokenLength(prefix, secretLength);
  const checksumStart = expectedLength - TOKEN_CHECKSUM_LENGTH;
  const headCrc = crc32UpdateAscii(CRC32_INIT, head, 0, keyIdStart);

  return function parse(token: unknown): ParseTokenResult {
    if (typeof token !== 'string') return NOT_A_STRING;
    const length = token.length;
    if (length !== expectedLength) {
      if (length === 0) return EMPTY;
      return length > keyIdStart && !token.startsWith(head) ? WRONG_PREFIX : WRONG_LENGTH;
    }
    if (!token.startsWith(head)) return WRONG_PREFIX;
    if (
      !base62Run(token, keyIdStart, keyIdEnd) ||
      token.charCodeAt(keyIdEnd) !== UNDERSCORE ||
      !base62Run(token, keyIdEnd + 1, checksumStart)
    ) {
      return BAD_CHARACTERS;
    }
    const claimed = readChecksum(token, checksumStart, expectedLength);
    if (claimed < 0) return BAD_CHARACTERS;
    if (claimed !== crc32Final(crc32UpdateAscii(headCrc, token, keyIdStart, checksumStart))) {
      return BAD_CHECKSUM;
    }
    return { ok: true, keyId: token.slice(keyIdStart, keyIdEnd), token };
  };
}

/** Parsers built by {@link parseToken}, by secret length then prefix. */
const parserCache = new Map<number, Map<string, TokenParser>>();
let cachedParsers = 0;
/** Bound on cached parsers; a host normally has one or two prefixes. */
const MAX_CACHED_PARSERS = 64;

/**
 * Parses a token presented by a caller: `{ ok: true, keyId, token }` when it is well formed
 * (not yet verified against storage), else `{ ok: false, reason }`. Never throws for any
 * `token` value (non-strings, huge strings, whitespace, non-ASCII); it throws
 * `INVALID_CONFIG` only when `options` are invalid, a programming error. Builds and caches
 * a {@link createTokenParser} parser per prefix; hold your own parser on hot paths.
 *
 * @example
 * ```ts
 * parseToken('acme_4f8Ws2Kd9QbZ1xLm_zdrX…', { prefix: 'acme' }); // { ok: true, keyId: '4f8Ws2Kd9QbZ1xLm', token }
 * parseToken(42, { prefix: 'acme' }); // { ok: false, reason: 'not_a_string' }
 * ```
 */
export function parseToken(token: unknown, options: TokenParserOptions): ParseTokenResult {
  return cachedParser(options)(token);
}

/** Returns the cached parser for `options`, building it on a miss. */
function cachedParser(options: TokenParserOptions): TokenParser {
  const secretLength = options.secretLength ?? DEFAULT_SECRET_LENGTH;
  let byPrefix = parserCache.get(secretLength);
  const found = byPrefix?.get(options.prefix);
  if (found !== undefined) return found;
  const parser = createTokenParser(options);
  if (cachedParsers >= MAX_CACHED_PARSERS) {
    parserCache.clear();
    cachedParsers = 0;
    byPrefix = undefined;
  }
  if (byPrefix === undefined) {
    byPrefix = new Map();
    parserCache.set(secretLength, byPrefix);
  }
  byPrefix.set(options.prefix, parser);
  cachedParsers++;
  return parser;
}
