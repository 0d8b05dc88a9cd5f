/**
 * IP addresses, CIDR blocks and compiled IP allowlists for the request path: pure, synchronous,
 * no I/O. Internal to keyward (not a package entry).
 *
 * @module
 * @internal
 */
export {
  type Cidr,
  type CidrParse,
  type CidrProblem,
  cidrContains,
  formatCidr,
  isAnyAddress,
  normalizeCidr,
  parseCidr,
} from './cidr.js';
export {
  formatIpAddress,
  type IpAddress,
  type Ipv4Address,
  type Ipv6Address,
  parseIpAddress,
} from './ip-address.js';
export { compileIpAllowlist, type IpAllowlist, ipAllowlistWithin } from './ip-allowlist.js';
