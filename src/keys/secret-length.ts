import { z } from 'zod';
import { parseConfig } from '../errors/parse-input.js';

/** Default secret length in base62 characters: 43 characters carry 256 bits. */
export const DEFAULT_SECRET_LENGTH = 43;

/** Shortest secret accepted: 22 base62 characters carry 130 bits (21 would be under 128). */
export const MIN_SECRET_LENGTH = 22;

/** Longest secret accepted (keeps tokens well under header-size limits). */
export const MAX_SECRET_LENGTH = 128;

/**
 * The length of a token secret in base62 characters, 22-128. Shorter secrets (under 128
 * bits of entropy) are refused.
 *
 * @example
 * ```ts
 * secretLengthSchema.parse(43); // 43
 * ```
 */
export const secretLengthSchema = z.number().int().min(MIN_SECRET_LENGTH).max(MAX_SECRET_LENGTH);

/**
 * Returns the secret length to use (`undefined` means {@link DEFAULT_SECRET_LENGTH}), or throws
 * `KeywardError` `INVALID_CONFIG` when it is not an integer in 22-128.
 *
 * @example
 * ```ts
 * validateSecretLength(undefined); // 43
 * validateSecretLength(16); // throws INVALID_CONFIG: under 128 bits
 * ```
 */
export function validateSecretLength(secretLength: unknown): number {
  if (secretLength === undefined) return DEFAULT_SECRET_LENGTH;
  return parseConfig(secretLengthSchema, secretLength, 'secretLength', 'secretLength');
}
