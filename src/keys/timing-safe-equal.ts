/**
 * Compares two strings (UTF-16 code units) or two byte arrays in time that depends only on
 * the length of `a`, never on where they differ: every position is read and differences
 * are OR-ed together. Different lengths answer `false`, still after the full pass over `a`.
 * Put the value an attacker does not control (e.g. the computed digest) in `a`.
 *
 * @example
 * ```ts
 * timingSafeEqual(computedHex, storedHex); // true when identical
 * ```
 */
export function timingSafeEqual(a: string, b: string): boolean;
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === 'string' && typeof b === 'string') return stringsEqual(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesEqual(a, b);
  return false;
}

/** Constant-time string compare; reads past the end of `b` yield NaN, which `|`/`^` treat as 0. */
function stringsEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Constant-time byte compare; reads past the end of `b` yield undefined, treated as 0. */
function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] as number);
  return diff === 0;
}
