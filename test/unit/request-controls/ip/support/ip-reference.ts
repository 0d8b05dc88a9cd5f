/**
 * A naive, bit-by-bit reading of IP addresses and CIDR blocks (addresses as strings of '0'/'1'),
 * with its own text writer, and fast-check arbitraries over it: the reference the compiled
 * allowlist and the containment check are compared with.
 */
import fc from 'fast-check';

/** An address as bits: 32 for IPv4, 128 for IPv6. */
export interface RefAddress {
  readonly version: 4 | 6;
  readonly bits: string;
}

/** A block as bits: the network's bits (host bits zero) and a prefix. */
export interface RefBlock extends RefAddress {
  readonly prefix: number;
}

const MAPPED_BITS = `${'0'.repeat(80)}${'1'.repeat(16)}`;

/** The bits of an unsigned number, `width` wide. */
export const bitsOf = (value: number, width: number): string => value.toString(2).padStart(width, '0');

/** An IPv4-mapped IPv6 address is the IPv4 address it maps; anything else as given. */
export function refNormalize(address: RefAddress): RefAddress {
  return address.version === 6 && address.bits.startsWith(MAPPED_BITS)
    ? { version: 4, bits: address.bits.slice(96) }
    : address;
}

/** The IPv4-mapped IPv6 form of an IPv4 address (`::ffff:a.b.c.d`). */
export const refMapped = (v4: RefAddress): RefAddress => ({ version: 6, bits: `${MAPPED_BITS}${v4.bits}` });

/** A block of /96 or longer inside `::ffff:0:0/96` is the IPv4 block it maps. */
export function refNormalizeBlock(block: RefBlock): RefBlock {
  return block.version === 6 && block.prefix >= 96 && block.bits.startsWith(MAPPED_BITS)
    ? { version: 4, bits: block.bits.slice(96), prefix: block.prefix - 96 }
    : block;
}

/** True when the first `prefix` bits of the address are the block's. */
export function refInBlock(block: RefBlock, address: RefAddress): boolean {
  const b = refNormalizeBlock(block);
  const a = refNormalize(address);
  return a.version === b.version && a.bits.slice(0, b.prefix) === b.bits.slice(0, b.prefix);
}

/** The reference allowlist: some block holds the address. */
export const refAllows = (blocks: readonly RefBlock[], address: RefAddress): boolean =>
  blocks.some((block) => refInBlock(block, address));

/** The reference containment: same version, outer no longer, inner's network in outer. */
export function refContains(outer: RefBlock, inner: RefBlock): boolean {
  const o = refNormalizeBlock(outer);
  const i = refNormalizeBlock(inner);
  return (
    o.version === i.version && o.prefix <= i.prefix && i.bits.slice(0, o.prefix) === o.bits.slice(0, o.prefix)
  );
}

/** The block's network bits followed by ones: its last address. */
export const refLastAddress = (block: RefBlock): RefAddress => ({
  version: block.version,
  bits: block.bits.slice(0, block.prefix).padEnd(block.bits.length, '1'),
});

/**
 * Writes an address without any cleverness: IPv4 as a dotted quad, IPv6 as eight hex groups
 * (no `::`), upper case and zero padding when asked, or with a dotted tail when asked.
 */
export function refText(
  address: RefAddress,
  style: { upper?: boolean; padded?: boolean; dottedTail?: boolean } = {},
): string {
  const chunk = (from: number, width: number) => Number.parseInt(address.bits.slice(from, from + width), 2);
  const dotted = (from: number) => [0, 8, 16, 24].map((offset) => chunk(from + offset, 8)).join('.');
  if (address.version === 4) return dotted(0);
  const groupCount = style.dottedTail ? 6 : 8;
  const groups = Array.from({ length: groupCount }, (_, g) => {
    const hex = chunk(16 * g, 16).toString(16);
    const padded = style.padded ? hex.padStart(4, '0') : hex;
    return style.upper ? padded.toUpperCase() : padded;
  });
  return style.dottedTail ? `${groups.join(':')}:${dotted(96)}` : groups.join(':');
}

/** Writes a block as `network/prefix` with {@link refText}. */
export const refBlockText = (block: RefBlock, style: Parameters<typeof refText>[1] = {}): string =>
  `${refText(block, style)}/${block.prefix}`;

const v4Arb: fc.Arbitrary<RefAddress> = fc
  .integer({ min: 0, max: 0xffffffff })
  .map((value) => ({ version: 4, bits: bitsOf(value, 32) }));

/** IPv6 groups biased towards zero runs, so that `::` forms are common. */
const groupArb = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));

const v6Arb: fc.Arbitrary<RefAddress> = fc.oneof(
  fc
    .array(groupArb, { minLength: 8, maxLength: 8 })
    .map((groups) => ({ version: 6 as const, bits: groups.map((g) => bitsOf(g, 16)).join('') })),
  // IPv4-mapped addresses.
  v4Arb.map(refMapped),
);

/** Any address, IPv4 or IPv6 (a share of them IPv4-mapped). */
export const addressArb: fc.Arbitrary<RefAddress> = fc.oneof(v4Arb, v6Arb);

/** A block: a random address and prefix, host bits cleared. */
export const blockArb: fc.Arbitrary<RefBlock> = addressArb.chain((address) =>
  fc.integer({ min: 0, max: address.bits.length }).map((prefix) => ({
    version: address.version,
    prefix,
    bits: address.bits.slice(0, prefix).padEnd(address.bits.length, '0'),
  })),
);

/** An address inside `block`: its prefix bits and random host bits. */
export const addressInArb = (block: RefBlock): fc.Arbitrary<RefAddress> =>
  fc
    .array(fc.boolean(), {
      minLength: block.bits.length - block.prefix,
      maxLength: block.bits.length - block.prefix,
    })
    .map((host) => ({
      version: block.version,
      bits: block.bits.slice(0, block.prefix) + host.map((bit) => (bit ? '1' : '0')).join(''),
    }));

/** Text styles {@link refText} writes an address in. */
export const styleArb = fc.record({ upper: fc.boolean(), padded: fc.boolean(), dottedTail: fc.boolean() });
