/** Lowercase hex digit char codes, by nibble value. */
const HEX_CODES: Uint8Array = new TextEncoder().encode('0123456789abcdef');

/**
 * Lowercase hex of `bytes`, as a flat string: built from char codes in one go rather than by
 * concatenation, whose rope result would make every later comparison read through an
 * indirection (stored digests are compared on every request).
 *
 * @internal
 */
export function bytesToHex(bytes: Uint8Array): string {
  const codes = new Array<number>(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    codes[2 * i] = HEX_CODES[byte >>> 4]!;
    codes[2 * i + 1] = HEX_CODES[byte & 15]!;
  }
  return String.fromCharCode(...codes);
}

/**
 * True when `hex` is exactly the lowercase hex of `digest`. Constant-time in the content:
 * it reads every character and never exits early on a mismatch; only a wrong length (not a
 * secret: stored digests are always 64 characters) answers at once. Allocates nothing.
 *
 * @internal
 */
export function digestEqualsHex(digest: Uint8Array, hex: string): boolean {
  const length = digest.length;
  if (hex.length !== length * 2) return false;
  let diff = 0;
  for (let i = 0; i < length; i++) {
    const byte = digest[i]!;
    diff |=
      (hex.charCodeAt(2 * i) ^ HEX_CODES[byte >>> 4]!) | (hex.charCodeAt(2 * i + 1) ^ HEX_CODES[byte & 15]!);
  }
  return diff === 0;
}
