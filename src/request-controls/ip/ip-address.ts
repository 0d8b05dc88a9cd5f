import { readNormalizedIpInto } from './ip-text-reader.js';

/**
 * An IPv4 address as one unsigned 32-bit number (`203.0.113.7` is `0xcb007107`).
 *
 * @example
 * ```ts
 * parseIpAddress('203.0.113.7'); // { version: 4, value: 3405803783 }
 * ```
 */
export interface Ipv4Address {
  /** Always 4. */
  readonly version: 4;
  /** The address, 0 to 2^32 - 1. */
  readonly value: number;
}

/**
 * An IPv6 address as four unsigned 32-bit words, most significant first
 * (`2001:db8::1` is `[0x20010db8, 0, 0, 1]`).
 *
 * @example
 * ```ts
 * parseIpAddress('2001:db8::1'); // { version: 6, words: [536939960, 0, 0, 1] }
 * ```
 */
export interface Ipv6Address {
  /** Always 6. */
  readonly version: 6;
  /** The 128 bits as four words, each 0 to 2^32 - 1, most significant first. */
  readonly words: readonly [number, number, number, number];
}

/**
 * An IP address as plain, frozen data. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is never
 * an {@link Ipv6Address}: it is read as the IPv4 address it maps.
 */
export type IpAddress = Ipv4Address | Ipv6Address;

/** Scratch for the reader; parsing is synchronous. */
const scratch = new Uint32Array(4);

/**
 * Reads an IP address: a strict IPv4 dotted quad (four decimal octets 0-255, no leading zeros),
 * or IPv6 in any RFC 4291 text form (`::`, compressed, a dotted-quad tail, either case).
 * No zone id (`fe80::1%eth0`), brackets or port. An IPv4-mapped IPv6 address, in dotted
 * (`::ffff:127.0.0.1`, as Node reports IPv4 clients on dual-stack sockets) or hex
 * (`::ffff:7f00:1`) form, is read as its IPv4 address.
 *
 * @returns the address, or `null` when `text` is not one.
 *
 * @example
 * ```ts
 * parseIpAddress('::ffff:203.0.113.7'); // { version: 4, value: 3405803783 }
 * parseIpAddress('01.2.3.4'); // null
 * ```
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (typeof text !== 'string') return null;
  const version = readNormalizedIpInto(text, scratch);
  if (version === 4) return ipv4Address(scratch[0]!);
  if (version === 6) return ipv6Address([scratch[0]!, scratch[1]!, scratch[2]!, scratch[3]!]);
  return null;
}

/**
 * Builds a frozen {@link Ipv4Address}.
 *
 * @internal
 */
export function ipv4Address(value: number): Ipv4Address {
  return Object.freeze({ version: 4, value });
}

/**
 * Builds a frozen {@link Ipv6Address} (words as given, not checked for a mapped address).
 *
 * @internal
 */
export function ipv6Address(words: readonly [number, number, number, number]): Ipv6Address {
  return Object.freeze({ version: 6, words: Object.freeze(words) });
}

/** Dotted quad of an unsigned 32-bit number. */
function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/**
 * RFC 5952 text of IPv6 words: lowercase hex without leading zeros, the longest run of two or
 * more zero groups written `::` (the first when runs tie), a single zero group written `0`.
 */
function formatIpv6(words: readonly number[]): string {
  const groups: number[] = [];
  for (const word of words) groups.push(word >>> 16, word & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  for (let g = 0; g < 8; ) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    const start = g;
    while (g < 8 && groups[g] === 0) g++;
    if (g - start > bestLength) {
      bestStart = start;
      bestLength = g - start;
    }
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/**
 * Canonical text of an address: IPv4 as a dotted quad, IPv6 as RFC 5952 text (lowercase, the
 * longest run of zero groups compressed, the first when tied, a lone zero group kept as `0`).
 * `parseIpAddress(formatIpAddress(a))` equals `a`.
 *
 * @example
 * ```ts
 * formatIpAddress(parseIpAddress('2001:0DB8:0:0:1:0:0:1')!); // '2001:db8::1:0:0:1'
 * ```
 */
export function formatIpAddress(address: IpAddress): string {
  return address.version === 4 ? formatIpv4(address.value) : formatIpv6(address.words);
}
