import { z } from 'zod';
import { parseConfig } from '../errors/parse-input.js';

/** Longest allowed token prefix. */
export const MAX_TOKEN_PREFIX_LENGTH = 32;

/**
 * A host-chosen token prefix: 1-32 characters, lowercase `[a-z0-9]` segments joined by
 * single `_` (`acme`, `acme_live`). It names the issuer for secret scanners. The key's
 * environment is a field of the key; with one prefix per environment (`TokenPrefixes`), `verify`
 * checks that the prefix names it.
 *
 * @example
 * ```ts
 * tokenPrefixSchema.parse('acme_live'); // 'acme_live'
 * ```
 */
export const tokenPrefixSchema = z
  .string()
  .min(1)
  .max(MAX_TOKEN_PREFIX_LENGTH)
  .regex(/^[a-z0-9]+(?:_[a-z0-9]+)*$/, 'Expected lowercase [a-z0-9] segments joined by _, such as acme_live');

/**
 * Returns `prefix` when it is a valid token prefix, else throws `KeywardError`
 * `INVALID_CONFIG` (issues under the path `tokenPrefix`). Call it once, at config time.
 *
 * @example
 * ```ts
 * validateTokenPrefix('acme'); // 'acme'
 * validateTokenPrefix('Acme'); // throws INVALID_CONFIG
 * ```
 */
export function validateTokenPrefix(prefix: unknown): string {
  return parseConfig(tokenPrefixSchema, prefix, 'tokenPrefix', 'tokenPrefix');
}
