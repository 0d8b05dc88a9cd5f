import { formatIpAddress, ipv4Address, ipv6Address } from './ip/ip-address.js';
import { readNormalizedIpInto } from './ip/ip-text-reader.js';

/**
 * How a client address counts for the failed-verification throttle: the group that shares one
 * budget.
 *
 * - IPv4: the address itself; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is its IPv4 address.
 * - IPv6: its /64 (one host, or one customer of an ISP, owns a whole /64).
 * - Anything else (a zone id, a port, a host name, garbage from a proxy header): the text itself,
 *   its first {@link MAX_RAW_ADDRESS_LENGTH} characters.
 *
 * Two readings of the same text: {@link addressGroupHash} never allocates (it runs before every
 * storage read), {@link addressGroupKey} names the group exactly (only for addresses that failed).
 *
 * @module
 * @internal
 */

/** Most characters of an unparseable address that name its group. @internal */
export const MAX_RAW_ADDRESS_LENGTH = 64;

/** Words of the address being read; module scratch, both readers are synchronous. */
const scratch = new Uint32Array(4);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Mixes one 32-bit value into an FNV-1a style hash. */
function mix(hash: number, value: number): number {
  return Math.imul(hash ^ value, FNV_PRIME);
}

/**
 * A 30-bit hash of the group `address` belongs to (a small integer: no boxed number), computed
 * without allocating. Equal groups hash equal; distinct groups may collide.
 *
 * @internal
 */
export function addressGroupHash(address: string): number {
  const version = readNormalizedIpInto(address, scratch);
  let hash = mix(FNV_OFFSET, version);
  if (version === 4) hash = mix(hash, scratch[0]!);
  else if (version === 6) hash = mix(mix(hash, scratch[0]!), scratch[1]!);
  else {
    const end = Math.min(address.length, MAX_RAW_ADDRESS_LENGTH);
    for (let i = 0; i < end; i++) hash = mix(hash, address.charCodeAt(i));
  }
  return hash & 0x3fffffff;
}

/**
 * The name of the group `address` belongs to: `203.0.113.7`, `2001:db8::/64`, or `raw:` and the
 * text's first {@link MAX_RAW_ADDRESS_LENGTH} characters (the prefix keeps unparseable texts
 * apart from the names of real groups).
 *
 * @internal
 */
export function addressGroupKey(address: string): string {
  const version = readNormalizedIpInto(address, scratch);
  if (version === 4) return formatIpAddress(ipv4Address(scratch[0]!));
  if (version === 6) return `${formatIpAddress(ipv6Address([scratch[0]!, scratch[1]!, 0, 0]))}/64`;
  return `raw:${address.slice(0, MAX_RAW_ADDRESS_LENGTH)}`;
}
