/** Lowercase hex digit char codes, by nibble value. */
const HEX_CODES: Uint8Array = new TextEncoder().encode('0123456789abcdef');

/** Two-char lowercase hex strings, by byte value. */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lowercase hex of `bytes`.
 *
 * @internal
 */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i]!];
  return out;
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
