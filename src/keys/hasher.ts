/**
 * The low-level digest primitives keyward hashes tokens with. Implementations must be
 * synchronous and deterministic; `data` is the token text (ASCII), read as UTF-8.
 * Built in: {@link "keyward/keys"!nobleHasher} (pure JS, every runtime) and `nodeHasher` from
 * `keyward/node` (node:crypto, native speed). Both give identical digests.
 *
 * @example
 * ```ts
 * const digest = nobleHasher.sha256('acme_…'); // 32 bytes
 * ```
 */
export interface Hasher {
  /** A short name for logs and benchmarks, e.g. `noble` or `node`. */
  readonly name: string;
  /** SHA-256 of the UTF-8 bytes of `data`: 32 bytes. */
  sha256(data: string): Uint8Array;
  /** HMAC-SHA256 of the UTF-8 bytes of `data` under `key`: 32 bytes. */
  hmacSha256(key: Uint8Array, data: string): Uint8Array;
  /**
   * Optional: SHA-256 as 64 lowercase hex characters. Native hashers answer a string much
   * faster than a byte buffer (Node allocates a Buffer per digest); when present, keyward
   * hashes and compares through it.
   */
  sha256Hex?(data: string): string;
  /** Optional: HMAC-SHA256 as 64 lowercase hex characters (see {@link Hasher.sha256Hex}). */
  hmacSha256Hex?(key: Uint8Array, data: string): string;
}
