import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileIpAllowlist, ipAllowlistWithin } from '../../../../src/request-controls/ip/index.js';
import {
  addressArb,
  addressInArb,
  blockArb,
  type RefAddress,
  refAllows,
  refBlockText,
  refContains,
  refLastAddress,
  refMapped,
  refText,
  styleArb,
} from './support/ip-reference.js';

const list = compileIpAllowlist(['203.0.113.0/24', '10.0.0.0/8', '2001:db8::/32', '198.51.100.7/32']);

/** A list of blocks and an address, often inside one of them. */
const listAndAddressArb = fc
  .array(blockArb, { minLength: 1, maxLength: 6 })
  .chain((blocks) =>
    fc.tuple(
      fc.constant(blocks),
      fc.oneof(addressArb, fc.constantFrom(...blocks).chain(addressInArb)),
      styleArb,
    ),
  );

/** The address in a random text form, an IPv4 one sometimes as its IPv4-mapped IPv6 form. */
const textOf = (address: RefAddress, style: { upper: boolean; padded: boolean; dottedTail: boolean }) =>
  refText(address.version === 4 && style.upper ? refMapped(address) : address, style);

describe('compileIpAllowlist', () => {
  it.each([
    ['203.0.113.7', true],
    ['203.0.113.0', true],
    ['203.0.113.255', true],
    ['203.0.114.0', false],
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['198.51.100.7', true],
    ['198.51.100.8', false],
    ['::ffff:203.0.113.7', true],
    ['::FFFF:10.1.2.3', true],
    ['::ffff:cb00:7107', true],
    ['0:0:0:0:0:ffff:203.0.113.7', true],
    ['::ffff:203.0.114.7', false],
    ['::203.0.113.7', false],
    ['2001:db8::1', true],
    ['2001:DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', true],
    ['2001:db9::', false],
    ['::1', false],
  ])('allows %s: %s', (address, expected) => {
    expect(list.allows(address)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    ' ',
    'garbage',
    '203.0.113.7 ',
    '203.0.113.7:443',
    '[2001:db8::1]',
    '2001:db8::1%eth0',
    '203.000.113.7',
    '::ffff:203.0.113',
  ])('fails closed on %j', (address) => {
    expect(list.allows(address)).toBe(false);
  });

  it('fails closed on a non-string address at run time', () => {
    expect(list.allows(null as unknown as string)).toBe(false);
    expect(list.allows(0xcb007107 as unknown as string)).toBe(false);
  });

  it('matches IPv4 clients only with IPv4 blocks, however the address is written', () => {
    const v6Only = compileIpAllowlist(['::/0']);
    expect(v6Only.allows('2001:db8::1')).toBe(true);
    expect(v6Only.allows('203.0.113.7')).toBe(false);
    expect(v6Only.allows('::ffff:203.0.113.7')).toBe(false);
    const v4Only = compileIpAllowlist(['0.0.0.0/0']);
    expect(v4Only.allows('::ffff:203.0.113.7')).toBe(true);
    expect(v4Only.allows('2001:db8::1')).toBe(false);
  });

  it('reads a stored IPv4-mapped block as its IPv4 block', () => {
    const mapped = compileIpAllowlist(['::ffff:10.0.0.0/104']);
    expect(mapped.entries).toEqual(['10.0.0.0/8']);
    expect(mapped.allows('10.1.2.3')).toBe(true);
    expect(mapped.allows('::ffff:10.1.2.3')).toBe(true);
  });

  it('keeps its entries in canonical text, frozen', () => {
    const compiled = compileIpAllowlist(['2001:DB8:0::/32', '203.0.113.7']);
    expect(compiled.entries).toEqual(['2001:db8::/32', '203.0.113.7/32']);
    expect(Object.isFrozen(compiled.entries)).toBe(true);
  });

  it('allows nothing when empty', () => {
    expect(compileIpAllowlist([]).allows('203.0.113.7')).toBe(false);
  });

  it.each([['10.0.0.1/8'], ['nope'], ['10.0.0.0/33']])('throws TypeError on the stored entry %j', (entry) => {
    expect(() => compileIpAllowlist(['10.0.0.0/8', entry])).toThrow(TypeError);
    expect(() => compileIpAllowlist(['10.0.0.0/8', entry])).toThrow(/IP allowlist\[1\]/);
  });

  it('throws TypeError when the list is not an array', () => {
    expect(() => compileIpAllowlist('10.0.0.0/8' as unknown as string[])).toThrow(TypeError);
  });

  it('agrees with a bit-by-bit reference on random lists and addresses', () => {
    fc.assert(
      fc.property(listAndAddressArb, ([blocks, address, style]) => {
        const compiled = compileIpAllowlist(blocks.map((block) => refBlockText(block, style)));
        expect(compiled.allows(textOf(address, style))).toBe(refAllows(blocks, address));
      }),
      { numRuns: 3000 },
    );
  });

  it('a block allows its own network and last address', () => {
    fc.assert(
      fc.property(blockArb, styleArb, (block, style) => {
        const compiled = compileIpAllowlist([refBlockText(block)]);
        const last = refLastAddress(block);
        expect(compiled.allows(textOf(block, style))).toBe(true);
        // `::/n` with n <= 80 ends in the IPv4-mapped range, which is IPv4 and so outside it.
        expect(compiled.allows(textOf(last, style))).toBe(refAllows([block], last));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ipAllowlistWithin', () => {
  it.each([
    [['10.1.0.0/16'], ['10.0.0.0/8'], true],
    [['10.0.0.0/8'], ['10.1.0.0/16'], false],
    [['10.1.0.0/16', '2001:db8:1::/48'], ['10.0.0.0/8', '2001:db8::/32'], true],
    [['10.1.0.0/16', '2001:db9::/48'], ['10.0.0.0/8', '2001:db8::/32'], false],
    [['10.0.0.0/9', '10.128.0.0/9'], ['10.0.0.0/8'], true],
    [['10.0.0.0/8'], ['10.0.0.0/9', '10.128.0.0/9'], false],
    [['::ffff:10.1.0.0/112'], ['10.0.0.0/8'], true],
    [['10.0.0.0/8'], ['::/0'], false],
    [['203.0.113.7'], ['203.0.113.7/32'], true],
    [[], ['10.0.0.0/8'], true],
    [['10.0.0.0/8'], [], false],
  ])('%j within %j: %s', (inner, outer, expected) => {
    expect(ipAllowlistWithin(inner, outer)).toBe(expected);
  });

  it('throws TypeError on an invalid entry on either side', () => {
    expect(() => ipAllowlistWithin(['10.0.0.1/8'], ['10.0.0.0/8'])).toThrow(TypeError);
    expect(() => ipAllowlistWithin(['10.0.0.0/8'], ['nope'])).toThrow(TypeError);
  });

  it('agrees with a bit-by-bit reference', () => {
    const listArb = fc.array(blockArb, { minLength: 1, maxLength: 4 });
    const pairArb = listArb.chain((outer) =>
      fc.tuple(
        fc.constant(outer),
        fc.oneof(
          listArb,
          fc.array(
            fc
              .constantFrom(...outer)
              .chain((block) =>
                fc
                  .integer({ min: block.prefix, max: block.bits.length })
                  .map((prefix) => ({ ...block, prefix })),
              ),
            { minLength: 1, maxLength: 4 },
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(pairArb, ([outer, inner]) => {
        const expected = inner.every((i) => outer.some((o) => refContains(o, i)));
        expect(
          ipAllowlistWithin(
            inner.map((b) => refBlockText(b)),
            outer.map((b) => refBlockText(b)),
          ),
        ).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
