import { BASE62 } from '../entities/ids.js';

/**
 * A fresh table where `table[charCode]` is the digit value (0-61) of an ASCII base62
 * character, or -1. Index only with char codes below 128. Hot-path modules keep their own
 * copy in a module-local constant: V8 reads those faster than an imported binding.
 *
 * @internal
 */
export function base62DigitTable(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE62.length; i++) table[BASE62.charCodeAt(i)] = i;
  return table;
}

/** Digit values of ASCII base62 characters (see {@link base62DigitTable}). */
const BASE62_VALUE = base62DigitTable();

/**
 * True when every character of `text` is in the base62 alphabet (`[0-9A-Za-z]`).
 *
 * @internal
 */
export function isBase62(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127 || BASE62_VALUE[code]! < 0) return false;
  }
  return true;
}

/**
 * Writes a non-negative integer (below 2^53) as exactly `width` base62 digits, left-padded
 * with `0`. The caller guarantees the value fits in `width` digits.
 *
 * @internal
 */
export function encodeBase62Fixed(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}
