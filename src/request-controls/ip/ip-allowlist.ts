import { type Cidr, cidrContains, formatCidr, parseCidr, prefixMaskWord } from './cidr.js';
import { readNormalizedIpInto } from './ip-text-reader.js';

/**
 * A compiled IP allowlist: answers whether a request address is in one of its blocks.
 * Built once per stored list (see {@link compileIpAllowlist}); checking allocates nothing.
 */
export interface IpAllowlist {
  /**
   * True when `address` (the request's client address, as the host's socket reports it) is in
   * one of the list's blocks. Fails closed: `undefined`, `''` or a text that is not an address
   * answers false. An IPv4-mapped address (`::ffff:203.0.113.7`) is checked as its IPv4 address.
   */
  allows(address: string | undefined): boolean;
  /** The list's blocks in canonical text (see `formatCidr`), in the order given. */
  readonly entries: readonly string[];
}

/** Scratch for the request address; checks are synchronous. */
const scratch = new Uint32Array(4);

/** Reads every entry of a stored list, throwing `TypeError` on one that is not a CIDR block. */
function parseEntries(entries: readonly string[], what: string): Cidr[] {
  if (!Array.isArray(entries)) throw new TypeError(`${what} must be an array of CIDR blocks`);
  return entries.map((entry, index) => {
    const parsed = parseCidr(entry);
    if (!parsed.ok) throw new TypeError(`${what}[${index}] is not a valid CIDR block: ${parsed.message}`);
    return parsed.cidr;
  });
}

/**
 * Compiles a stored allowlist (CIDR blocks as {@link normalizeCidr} writes them; any text
 * {@link parseCidr} accepts is read) into a matcher. IPv4 blocks become (network, mask) pairs of
 * 32-bit integers and IPv6 blocks four such pairs, so a check is a parse of the address without
 * allocation and a few integer comparisons per block. An empty list allows no address.
 *
 * @throws TypeError when an entry is not a CIDR block: stored lists are validated when saved,
 *   so this is corrupt storage, found when the list is compiled rather than per request.
 *
 * @example
 * ```ts
 * const allowlist = compileIpAllowlist(['203.0.113.0/24', '2001:db8::/32']);
 * allowlist.allows('::ffff:203.0.113.7'); // true
 * allowlist.allows(undefined); // false
 * ```
 */
export function compileIpAllowlist(entries: readonly string[]): IpAllowlist {
  const blocks = parseEntries(entries, 'IP allowlist');
  const v4 = blocks.filter((block) => block.network.version === 4);
  const v6 = blocks.filter((block) => block.network.version === 6);
  // Signed 32-bit views, so that `(address & mask) === network` compares small integers.
  const v4Pairs = new Int32Array(v4.length * 2);
  v4.forEach((block, b) => {
    v4Pairs[2 * b] = block.network.version === 4 ? block.network.value : 0;
    v4Pairs[2 * b + 1] = prefixMaskWord(block.prefix, 0);
  });
  const v6Pairs = new Int32Array(v6.length * 8);
  v6.forEach((block, b) => {
    for (let w = 0; w < 4; w++) {
      v6Pairs[8 * b + w] = block.network.version === 6 ? block.network.words[w]! : 0;
      v6Pairs[8 * b + 4 + w] = prefixMaskWord(block.prefix, w);
    }
  });
  const v4Length = v4Pairs.length;
  const v6Length = v6Pairs.length;

  function allows(address: string | undefined): boolean {
    if (typeof address !== 'string') return false;
    const version = readNormalizedIpInto(address, scratch);
    if (version === 4) {
      const value = scratch[0]! | 0;
      for (let i = 0; i < v4Length; i += 2) {
        if ((value & v4Pairs[i + 1]!) === v4Pairs[i]!) return true;
      }
      return false;
    }
    if (version === 6) {
      const w0 = scratch[0]! | 0;
      const w1 = scratch[1]! | 0;
      const w2 = scratch[2]! | 0;
      const w3 = scratch[3]! | 0;
      for (let i = 0; i < v6Length; i += 8) {
        if (
          (w0 & v6Pairs[i + 4]!) === v6Pairs[i]! &&
          (w1 & v6Pairs[i + 5]!) === v6Pairs[i + 1]! &&
          (w2 & v6Pairs[i + 6]!) === v6Pairs[i + 2]! &&
          (w3 & v6Pairs[i + 7]!) === v6Pairs[i + 3]!
        ) {
          return true;
        }
      }
    }
    return false;
  }

  return Object.freeze({ allows, entries: Object.freeze(blocks.map(formatCidr)) });
}

/**
 * True when every block of `inner` lies inside some block of `outer` (IPv4 and IPv6 blocks
 * never contain each other), so a list `inner` allows no address that `outer` refuses: the check
 * behind "a key never reaches beyond its creator". An empty `inner` is vacuously within; keyward
 * stores "no restriction" as `null`, never as an empty list, so callers handle that case.
 *
 * @throws TypeError when an entry of either list is not a CIDR block.
 *
 * @example
 * ```ts
 * ipAllowlistWithin(['10.1.0.0/16'], ['10.0.0.0/8']); // true
 * ipAllowlistWithin(['10.0.0.0/8'], ['10.1.0.0/16']); // false
 * ```
 */
export function ipAllowlistWithin(inner: readonly string[], outer: readonly string[]): boolean {
  const outerBlocks = parseEntries(outer, 'outer IP allowlist');
  return parseEntries(inner, 'inner IP allowlist').every((block) =>
    outerBlocks.some((outerBlock) => cidrContains(outerBlock, block)),
  );
}
