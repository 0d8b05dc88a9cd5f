import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { Hasher } from './hasher.js';
import { bytesToHex, digestEqualsHex } from './hex.js';
import { nobleHasher } from './noble-hasher.js';
import { loadPeppers, type Pepper } from './pepper.js';
import { timingSafeEqual } from './timing-safe-equal.js';

/** `hashVersion` of a plain SHA-256 digest of the token. */
export const HASH_VERSION_SHA256 = 1;

/** `hashVersion` of an HMAC-SHA256 digest of the token under a pepper (`pepperId` says which). */
export const HASH_VERSION_HMAC_SHA256 = 2;

/** A token digest as stored with a key: never the token or its secret. */
export interface TokenDigest {
  /** 64 lowercase hex characters. */
  readonly hash: string;
  /** {@link HASH_VERSION_SHA256} or {@link HASH_VERSION_HMAC_SHA256}. */
  readonly hashVersion: number;
  /** The pepper used (version 2), else null. */
  readonly pepperId: string | null;
}

/** Options of {@link createTokenHasher}. */
export interface TokenHasherOptions {
  /** Digest primitives; default {@link nobleHasher}. Use `nodeHasher` from `keyward/node` for native speed. */
  hasher?: Hasher | undefined;
  /** When set, new digests are HMAC-SHA256 under this pepper (version 2). */
  pepper?: Pepper | undefined;
  /** Retired peppers whose digests still verify, for rotation. */
  previousPeppers?: readonly Pepper[] | undefined;
  /**
   * Whether plain SHA-256 digests (version 1) still verify when a pepper is set. Default
   * true, so keys issued before a pepper was introduced keep working until regenerated.
   */
  acceptUnpeppered?: boolean | undefined;
}

/** Hashes tokens for storage and checks presented tokens against stored digests. */
export interface TokenHasher {
  /** Name of the underlying {@link Hasher}. */
  readonly hasherName: string;
  /** The version new digests get. */
  readonly hashVersion: number;
  /** The pepper new digests use, or null. */
  readonly pepperId: string | null;
  /** Digest of `token` with the current settings, to store with the key. */
  hash(token: string): TokenDigest;
  /**
   * True when `token` matches `stored`, compared in constant time. Verifies digests made
   * with the current or a previous pepper; answers false (never throws) for an unknown
   * `pepperId` or `hashVersion`, or malformed input.
   */
  matches(token: string, stored: TokenDigest): boolean;
}

/**
 * Builds the {@link TokenHasher} keyward stores and verifies digests with: SHA-256 of the
 * token (version 1), or HMAC-SHA256 under a host pepper (version 2) when `pepper` is set.
 * Never a slow hash: a token secret carries 256 bits. Throws `INVALID_CONFIG` for a pepper
 * under 32 bytes, a bad or duplicate pepper id, or a hasher missing its methods.
 *
 * @example
 * ```ts
 * const tokens = createTokenHasher({ pepper: { id: 'p2', secret: env.PEPPER }, previousPeppers: [oldPepper] });
 * const digest = tokens.hash(token); // { hash: '9f…', hashVersion: 2, pepperId: 'p2' }
 * tokens.matches(token, digest); // true
 * ```
 */
export function createTokenHasher(options: TokenHasherOptions = {}): TokenHasher {
  const hasher = options.hasher ?? nobleHasher;
  assertHasher(hasher);
  const { current, byId } = loadPeppers(options.pepper, options.previousPeppers);
  const acceptUnpeppered = options.acceptUnpeppered ?? true;
  const hashVersion = current === null ? HASH_VERSION_SHA256 : HASH_VERSION_HMAC_SHA256;
  const pepperId = current === null ? null : current.id;

  const digestOf = (token: string, version: unknown, storedPepperId: unknown): Uint8Array | null => {
    if (version === HASH_VERSION_SHA256) {
      return current === null || acceptUnpeppered ? hasher.sha256(token) : null;
    }
    if (version === HASH_VERSION_HMAC_SHA256 && typeof storedPepperId === 'string') {
      const key = byId.get(storedPepperId);
      return key === undefined ? null : hasher.hmacSha256(key, token);
    }
    return null;
  };

  const hexOutput = typeof hasher.sha256Hex === 'function' && typeof hasher.hmacSha256Hex === 'function';
  /** The digest as hex when the hasher answers hex natively; `undefined` when it does not (use `digestOf`). */
  const hexDigestOf = (
    token: string,
    version: unknown,
    storedPepperId: unknown,
  ): string | null | undefined => {
    if (!hexOutput) return undefined;
    if (version === HASH_VERSION_SHA256) {
      return current === null || acceptUnpeppered ? hasher.sha256Hex!(token) : null;
    }
    if (version === HASH_VERSION_HMAC_SHA256 && typeof storedPepperId === 'string') {
      const key = byId.get(storedPepperId);
      return key === undefined ? null : hasher.hmacSha256Hex!(key, token);
    }
    return null;
  };

  return Object.freeze({
    hasherName: hasher.name,
    hashVersion,
    pepperId,
    hash(token: string): TokenDigest {
      if (typeof token !== 'string') {
        throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Token to hash must be a string');
      }
      const bytes = current === null ? hasher.sha256(token) : hasher.hmacSha256(current.key, token);
      return { hash: bytesToHex(bytes), hashVersion, pepperId };
    },
    matches(token: string, stored: TokenDigest): boolean {
      if (typeof token !== 'string' || typeof stored !== 'object' || stored === null) return false;
      const storedHash: unknown = stored.hash;
      if (typeof storedHash !== 'string') return false;
      const hex = hexDigestOf(token, stored.hashVersion, stored.pepperId);
      if (hex !== undefined) return hex !== null && timingSafeEqual(hex, storedHash);
      const digest = digestOf(token, stored.hashVersion, stored.pepperId);
      return digest !== null && digestEqualsHex(digest, storedHash);
    },
  });
}

/** Throws `INVALID_CONFIG` unless `hasher` has a name and both digest methods. */
function assertHasher(hasher: Hasher): void {
  if (
    typeof hasher !== 'object' ||
    hasher === null ||
    typeof hasher.name !== 'string' ||
    typeof hasher.sha256 !== 'function' ||
    typeof hasher.hmacSha256 !== 'function'
  ) {
    throw new KeywardError(
      ERROR_CODES.INVALID_CONFIG,
      'Invalid hasher: expected { name, sha256, hmacSha256 }',
      {
        issues: [{ code: 'invalid_type', path: ['hasher'], message: 'Expected a Hasher' }],
      },
    );
  }
}
