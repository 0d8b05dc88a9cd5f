/**
 * The one scanner behind every IP text form keyward reads: request addresses, allowlist entries
 * and management input. Char-code scanning, no regular expression, no allocation, so that the
 * request path can call it on every request.
 *
 * @module
 * @internal
 */

/** Longest IPv6 text accepted: six groups with a dotted-quad tail (`ffff:` x6 + `255.255.255.255`). */
const MAX_IPV6_LENGTH = 45;

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_DOT = 46;
const CODE_COLON = 58;

/** Groups of the IPv6 address being read; module scratch, the reader is synchronous. */
const groups = new Uint16Array(8);

/**
 * Reads a strict dotted quad spanning exactly `text[start, end)`: four decimal octets 0-255
 * without leading zeros (`0` alone is fine, `010` is not), nothing else.
 *
 * @returns the address as an unsigned 32-bit number, or -1 when the text is not a dotted quad.
 * @internal
 */
export function readIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let i = start;
  for (let octets = 1; ; octets++) {
    if (i >= end) return -1;
    let code = text.charCodeAt(i);
    if (code < CODE_0 || code > CODE_9) return -1;
    let octet = code - CODE_0;
    i++;
    // Up to two more digits, unless the first was 0 (no leading zeros).
    for (let digits = 1; octet !== 0 && digits < 3 && i < end; digits++) {
      code = text.charCodeAt(i);
      if (code < CODE_0 || code > CODE_9) break;
      octet = octet * 10 + (code - CODE_0);
      i++;
    }
    if (octet > 255) return -1;
    value = value * 256 + octet;
    if (octets === 4) return i === end ? value : -1;
    if (i >= end || text.charCodeAt(i) !== CODE_DOT) return -1;
    i++;
  }
}

/** The value of a hex digit char code, or -1. */
function hexValue(code: number): number {
  if (code >= CODE_0 && code <= CODE_9) return code - CODE_0;
  const lower = code | 0x20; // 'A'-'F' -> 'a'-'f'
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Reads the groups of an IPv6 text into `groups` and expands a `::` gap.
 *
 * @returns true when `text` is an IPv6 address in an RFC 4291 text form.
 */
function readIpv6Groups(text: string): boolean {
  const length = text.length;
  if (length < 2 || length > MAX_IPV6_LENGTH) return false;
  let count = 0;
  let gapAt = -1;
  let i = 0;
  if (text.charCodeAt(0) === CODE_COLON) {
    if (text.charCodeAt(1) !== CODE_COLON) return false;
    gapAt = 0;
    i = 2;
  }
  while (i < length) {
    const start = i;
    let value = 0;
    for (let digit = hexValue(text.charCodeAt(i)); digit >= 0; digit = hexValue(text.charCodeAt(i))) {
      value = value * 16 + digit;
      i++;
    }
    const digits = i - start;
    if (i < length && text.charCodeAt(i) === CODE_DOT) {
      // A dotted-quad tail holds the last two groups and ends the text.
      const tail = readIpv4(text, start, length);
      if (tail < 0 || count > 6) return false;
      groups[count++] = tail >>> 16;
      groups[count++] = tail & 0xffff;
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count++] = value;
    if (i === length) break;
    if (text.charCodeAt(i) !== CODE_COLON) return false;
    i++;
    if (i < length && text.charCodeAt(i) === CODE_COLON) {
      if (gapAt >= 0) return false;
      gapAt = count;
      i++;
    } else if (i === length) {
      return false; // a trailing single colon
    }
  }
  if (gapAt < 0) return count === 8;
  // `::` stands for at least one zero group.
  if (count > 7) return false;
  const zeros = 8 - count;
  for (let g = count - 1; g >= gapAt; g--) groups[g + zeros] = groups[g]!;
  for (let g = gapAt; g < gapAt + zeros; g++) groups[g] = 0;
  return true;
}

/**
 * Reads an IP address text into `out` exactly as written (an IPv4-mapped IPv6 address stays
 * IPv6; see {@link isIpv4MappedWords}).
 *
 * @param out receives the address: IPv4 in `out[0]`; IPv6 as four unsigned 32-bit words, most
 *   significant first, in `out[0..3]`.
 * @returns 4 or 6 for the version read, 0 when `text` is neither (`out` is then unspecified).
 * @internal
 */
export function readIpInto(text: string, out: Uint32Array): 0 | 4 | 6 {
  const v4 = readIpv4(text, 0, text.length);
  if (v4 >= 0) {
    out[0] = v4;
    return 4;
  }
  if (!readIpv6Groups(text)) return 0;
  for (let w = 0; w < 4; w++) out[w] = groups[2 * w]! * 0x10000 + groups[2 * w + 1]!;
  return 6;
}

/**
 * True when IPv6 words are an IPv4-mapped address, `::ffff:a.b.c.d` (`::ffff:0:0/96`), whose
 * IPv4 address is the last word.
 *
 * @internal
 */
export function isIpv4MappedWords(words: ArrayLike<number>): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/** Length of `::ffff:`. */
const MAPPED_PREFIX_LENGTH = 7;

/** True when `text` starts with `::ffff:`, in either case. */
function startsWithMappedPrefix(text: string): boolean {
  return (
    text.length > MAPPED_PREFIX_LENGTH &&
    text.charCodeAt(0) === CODE_COLON &&
    text.charCodeAt(1) === CODE_COLON &&
    (text.charCodeAt(2) | 0x20) === 102 &&
    (text.charCodeAt(3) | 0x20) === 102 &&
    (text.charCodeAt(4) | 0x20) === 102 &&
    (text.charCodeAt(5) | 0x20) === 102 &&
    text.charCodeAt(6) === CODE_COLON
  );
}

/**
 * Reads an IP address text into `out`, an IPv4-mapped IPv6 address as the IPv4 address it maps
 * (`out[0]`), as a request address is compared.
 *
 * @returns as {@link readIpInto}.
 * @internal
 */
export function readNormalizedIpInto(text: string, out: Uint32Array): 0 | 4 | 6 {
  // Fast path for the form Node gives IPv4 clients of dual-stack sockets; same answer as below.
  if (startsWithMappedPrefix(text)) {
    const v4 = readIpv4(text, MAPPED_PREFIX_LENGTH, text.length);
    if (v4 >= 0) {
      out[0] = v4;
      return 4;
    }
  }
  const version = readIpInto(text, out);
  if (version === 6 && isIpv4MappedWords(out)) {
    out[0] = out[3]!;
    return 4;
  }
  return version;
}
