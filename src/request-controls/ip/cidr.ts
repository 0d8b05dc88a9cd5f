import { formatIpAddress, type IpAddress, ipv4Address, ipv6Address } from './ip-address.js';
import { isIpv4MappedWords, readIpInto } from './ip-text-reader.js';

/**
 * A CIDR block as plain, frozen data: a network address whose host bits are all zero, and a
 * prefix length (0-32 for IPv4, 0-128 for IPv6). A block inside `::ffff:0:0/96` (IPv4-mapped)
 * is always held as the IPv4 block it maps. As an IPv4-mapped address is its IPv4 address, an
 * IPv6 block that spans the mapped range (`::/0`, `::/80`) holds no IPv4 client: a list that
 * admits IPv4 clients says so with IPv4 blocks.
 *
 * @example
 * ```ts
 * const parsed = parseCidr('203.0.113.0/24');
 * if (parsed.ok) parsed.cidr; // { network: { version: 4, value: 3405803776 }, prefix: 24 }
 * ```
 */
export interface Cidr {
  /** The first address of the block; its host bits are zero. */
  readonly network: IpAddress;
  /** How many leading bits every address of the block shares with `network`. */
  readonly prefix: number;
}

/**
 * Why a text is not a CIDR block: `malformed` (not `address` or `address/prefix`),
 * `prefix_out_of_range` (over 32 for IPv4, over 128 for IPv6) or `host_bits_set`
 * (`10.0.0.1/8`: the address is not the block's network).
 */
export type CidrProblem = 'malformed' | 'prefix_out_of_range' | 'host_bits_set';

/**
 * What {@link parseCidr} answers: the block, or why not with a message fit for the person who
 * typed the entry (it echoes the entry, which is not a secret, and for `host_bits_set` names
 * the network that was probably meant).
 */
export type CidrParse =
  | { readonly ok: true; readonly cidr: Cidr }
  | { readonly ok: false; readonly reason: CidrProblem; readonly message: string };

/** Longest text worth reading: an IPv6 address with a dotted tail (45) and `/128`. */
const MAX_CIDR_LENGTH = 49;

/** How much of a refused entry a message repeats. */
const MAX_ECHO_LENGTH = 64;

const scratch = new Uint32Array(4);

/**
 * The mask of word `wordIndex` (0 for IPv4; 0-3 for IPv6, most significant first) for a
 * `prefix`, as an unsigned 32-bit number.
 *
 * @internal
 */
export function prefixMaskWord(prefix: number, wordIndex: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * wordIndex));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** The words of a block's network (one for IPv4). */
function wordsOf(address: IpAddress): readonly number[] {
  return address.version === 4 ? [address.value] : address.words;
}

/** Reads the prefix digits of `text` from `start`: a decimal without leading zeros, or -1. */
function readPrefix(text: string, start: number): number {
  const digits = text.length - start;
  if (digits < 1 || (digits > 1 && text.charCodeAt(start) === 48)) return -1;
  let prefix = 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    prefix = prefix * 10 + (code - 48);
  }
  return prefix;
}

function refusal(reason: CidrProblem, message: string): CidrParse {
  return Object.freeze({ ok: false, reason, message });
}

function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_ECHO_LENGTH ? `${text.slice(0, MAX_ECHO_LENGTH)}…` : text);
}

/**
 * Reads a CIDR block: `address/prefix`, or a bare address as a single-address block (/32 or
 * /128). Strict: the address as {@link parseIpAddress} reads it, a decimal prefix without
 * leading zeros, no whitespace. A block with host bits set (`10.0.0.1/8`) is refused, not
 * silently widened. A block inside `::ffff:0:0/96` is read as the IPv4 block it maps
 * (`::ffff:10.0.0.0/104` is `10.0.0.0/8`).
 *
 * @example
 * ```ts
 * parseCidr('10.0.0.1/8');
 * // { ok: false, reason: 'host_bits_set', message: '"10.0.0.1/8" has host bits set: did you mean 10.0.0.0/8?' }
 * ```
 */
export function parseCidr(text: string): CidrParse {
  if (typeof text !== 'string') return refusal('malformed', 'a CIDR block must be a string');
  const slash = text.indexOf('/');
  const addressEnd = slash < 0 ? text.length : slash;
  const version = text.length > MAX_CIDR_LENGTH ? 0 : readIpInto(text.slice(0, addressEnd), scratch);
  const prefix = version === 0 ? -1 : slash < 0 ? (version === 4 ? 32 : 128) : readPrefix(text, slash + 1);
  if (prefix < 0) {
    return refusal(
      'malformed',
      `${quoted(text)} is not an IP address or CIDR block (a.b.c.d/n, or an IPv6 address/n)`,
    );
  }
  const maxPrefix = version === 4 ? 32 : 128;
  if (prefix > maxPrefix) {
    return refusal(
      'prefix_out_of_range',
      `${quoted(text)} has a prefix over ${maxPrefix}, the most an IPv${version} block can have`,
    );
  }
  const mapped = version === 6 && prefix >= 96 && isIpv4MappedWords(scratch);
  const words = mapped ? [scratch[3]!] : version === 4 ? [scratch[0]!] : [...scratch];
  const blockPrefix = mapped ? prefix - 96 : prefix;
  let hostBits = 0;
  for (let w = 0; w < words.length; w++) {
    const mask = prefixMaskWord(blockPrefix, w);
    hostBits |= words[w]! & ~mask;
    words[w] = (words[w]! & mask) >>> 0;
  }
  const cidr = cidrOf(words, blockPrefix);
  if (hostBits !== 0) {
    return refusal('host_bits_set', `${quoted(text)} has host bits set: did you mean ${formatCidr(cidr)}?`);
  }
  return Object.freeze({ ok: true, cidr });
}

function cidrOf(words: readonly number[], prefix: number): Cidr {
  const network =
    words.length === 1 ? ipv4Address(words[0]!) : ipv6Address([words[0]!, words[1]!, words[2]!, words[3]!]);
  return Object.freeze({ network, prefix });
}

/**
 * Canonical text of a block: `a.b.c.d/n` for IPv4, RFC 5952 text and `/n` for IPv6 (always with
 * the prefix, even for a single address).
 *
 * @example
 * ```ts
 * formatCidr(cidr); // '2001:db8::/32'
 * ```
 */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpAddress(cidr.network)}/${cidr.prefix}`;
}

/**
 * The canonical text of a CIDR block (as {@link formatCidr}), or `null` when {@link parseCidr}
 * refuses it. What keyward stores for an allowlist entry.
 *
 * @example
 * ```ts
 * normalizeCidr('2001:DB8:0:0::/32'); // '2001:db8::/32'
 * normalizeCidr('::ffff:10.0.0.0/104'); // '10.0.0.0/8'
 * normalizeCidr('10.0.0.1/8'); // null
 * ```
 */
export function normalizeCidr(text: string): string | null {
  const parsed = parseCidr(text);
  return parsed.ok ? formatCidr(parsed.cidr) : null;
}

/**
 * True when every address of `inner` is in `outer`: same version, `outer` no longer a prefix
 * than `inner`, and `inner`'s network inside `outer`. IPv4 and IPv6 blocks never contain each
 * other (so `::/0` does not contain `::ffff:10.0.0.0/104`, which is `10.0.0.0/8`; see {@link Cidr}).
 *
 * @example
 * ```ts
 * cidrContains(tenEight, tenOneSixteen); // 10.0.0.0/8 contains 10.1.0.0/16: true
 * ```
 */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.network.version !== inner.network.version || outer.prefix > inner.prefix) return false;
  const outerWords = wordsOf(outer.network);
  const innerWords = wordsOf(inner.network);
  for (let w = 0; w < outerWords.length; w++) {
    const mask = prefixMaskWord(outer.prefix, w);
    if ((innerWords[w]! & mask) >>> 0 !== outerWords[w]) return false;
  }
  return true;
}

/**
 * True when a block matches every address of its version (`0.0.0.0/0`, `::/0`): a list holding
 * one restricts nothing for that version.
 *
 * @example
 * ```ts
 * isAnyAddress(cidr); // true for 0.0.0.0/0
 * ```
 */
export function isAnyAddress(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}
