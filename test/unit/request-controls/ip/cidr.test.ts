import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cidr,
  cidrContains,
  formatCidr,
  isAnyAddress,
  normalizeCidr,
  parseCidr,
} from '../../../../src/request-controls/ip/index.js';
import {
  addressArb,
  addressInArb,
  blockArb,
  type RefBlock,
  refBlockText,
  refContains,
  refLastAddress,
  refNormalize,
  refNormalizeBlock,
  refText,
  styleArb,
} from './support/ip-reference.js';

/** The block a text is; fails the test when it is not one. */
function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return parsed.cidr;
}

/** A block and a second one often inside it (so that containment is often true). */
const blockPairArb = blockArb.chain((outer) =>
  fc.tuple(
    fc.constant(outer),
    fc.oneof(
      blockArb,
      addressInArb(outer).chain((inside) =>
        fc.integer({ min: 0, max: outer.bits.length }).map(
          (prefix): RefBlock => ({
            version: inside.version,
            prefix,
            bits: inside.bits.slice(0, prefix).padEnd(inside.bits.length, '0'),
          }),
        ),
      ),
    ),
  ),
);

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['203.0.113.7', '203.0.113.7/32'],
    ['203.0.113.7/32', '203.0.113.7/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:DB8:0:0::/32', '2001:db8::/32'],
    ['2001:0db8:0000:0000:0000:0000:0000:0000/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::/80', '::/80'],
    ['::1', '::1/128'],
    ['2001:db8::1/128', '2001:db8::1/128'],
    ['::1.2.3.0/120', '::102:300/120'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
    ['::ffff:203.0.113.7', '203.0.113.7/32'],
    ['::FFFF:cb00:7100/120', '203.0.113.0/24'],
    ['::fffe:0:0/95', '::fffe:0:0/95'],
  ])('reads %s as %s', (text, canonical) => {
    expect(formatCidr(cidr(text))).toBe(canonical);
    expect(normalizeCidr(text)).toBe(canonical);
  });

  it.each([
    '',
    '/8',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/ 8',
    ' 10.0.0.0/8',
    '10.0.0.0/8 ',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    '10.0.0.0/8/8',
    '10.0.0.0/0x8',
    '10.0.0.0/1e1',
    '10.0.0/8',
    '10.0.0.0.0/8',
    '010.0.0.0/8',
    'fe80::%eth0/64',
    '[2001:db8::]/32',
    '2001:db8::/',
    'localhost',
    `${'1'.repeat(10_000)}/8`,
  ])('refuses %j as malformed', (text) => {
    const parsed = parseCidr(text);
    expect(parsed).toMatchObject({ ok: false, reason: 'malformed' });
    expect(normalizeCidr(text)).toBeNull();
  });

  it.each([
    ['10.0.0.0/33', 32],
    ['10.0.0.0/1000', 32],
    ['2001:db8::/129', 128],
    ['::ffff:10.0.0.0/129', 128],
  ])('refuses %s: prefix over %i', (text, max) => {
    const parsed = parseCidr(text);
    expect(parsed).toMatchObject({ ok: false, reason: 'prefix_out_of_range' });
    expect(parsed.ok ? '' : parsed.message).toContain(`over ${max}`);
  });

  it.each([
    ['10.0.0.1/8', '10.0.0.0/8'],
    ['203.0.113.7/24', '203.0.113.0/24'],
    ['0.0.0.1/0', '0.0.0.0/0'],
    ['2001:db8::1/32', '2001:db8::/32'],
    ['::1/0', '::/0'],
    ['::ffff:10.0.0.1/104', '10.0.0.0/8'],
    ['::ffff:0:0/95', '::fffe:0:0/95'],
  ])('refuses %s (host bits set) and suggests %s', (text, network) => {
    const parsed = parseCidr(text);
    expect(parsed).toEqual({
      ok: false,
      reason: 'host_bits_set',
      message: `"${text}" has host bits set: did you mean ${network}?`,
    });
  });

  it('echoes at most the first 64 characters of a refused entry', () => {
    const parsed = parseCidr(`10.0.0.0/8${' '.repeat(1000)}`);
    expect(parsed.ok ? '' : parsed.message.length).toBeLessThan(200);
  });

  it('answers frozen plain data', () => {
    const parsed = parseCidr('2001:db8::/32');
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(parsed).toEqual({
      ok: true,
      cidr: { network: { version: 6, words: [0x20010db8, 0, 0, 0] }, prefix: 32 },
    });
    expect(Object.isFrozen(parsed.ok && parsed.cidr)).toBe(true);
  });

  it('reads every text form of a random block, and its canonical text is a fixed point', () => {
    fc.assert(
      fc.property(blockArb, styleArb, (block, style) => {
        const canonical = normalizeCidr(refBlockText(block, style));
        expect(canonical).not.toBeNull();
        expect(normalizeCidr(canonical!)).toBe(canonical);
        expect(formatCidr(cidr(canonical!))).toEqual(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any address with host bits set under its prefix, suggesting its network', () => {
    fc.assert(
      fc.property(addressArb, fc.nat(), (address, seed) => {
        const prefix = seed % address.bits.length;
        const host = address.bits.slice(prefix);
        fc.pre(host.includes('1'));
        const network: RefBlock = {
          ...address,
          prefix,
          bits: address.bits.slice(0, prefix).padEnd(address.bits.length, '0'),
        };
        const parsed = parseCidr(`${refText(address)}/${prefix}`);
        const expectedNetwork = normalizeCidr(refBlockText(network));
        // The suggestion is the canonical network: IPv4 for a mapped block of /96 or longer.
        expect(parsed).toMatchObject({ ok: false, reason: 'host_bits_set' });
        expect(parsed.ok ? '' : parsed.message).toContain(`did you mean ${expectedNetwork}?`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.1.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/8', false],
    ['0.0.0.0/0', '203.0.113.0/24', true],
    ['0.0.0.0/0', '2001:db8::/32', false],
    ['::/0', '10.0.0.0/8', false],
    ['::/0', '::ffff:10.0.0.0/104', false],
    ['::/0', '2001:db8::/32', true],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/32', '2001:db9::/48', false],
    ['2001:db8::/32', '2001:db8::/31', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['::/80', '::ffff:ffff:ffff', false],
    ['::/80', '::fffe:ffff:ffff', true],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(cidr(outer), cidr(inner))).toBe(expected);
  });

  it('agrees with a bit-by-bit reference', () => {
    fc.assert(
      fc.property(blockPairArb, ([outer, inner]) => {
        expect(cidrContains(cidr(refBlockText(outer)), cidr(refBlockText(inner)))).toBe(
          refContains(outer, inner),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('a block contains its own network and last address, and is contained by its any-address block', () => {
    fc.assert(
      fc.property(blockArb, (block) => {
        const parsed = cidr(refBlockText(block));
        expect(cidrContains(parsed, parsed)).toBe(true);
        expect(cidrContains(parsed, cidr(refText(block)))).toBe(true);
        // Except for `::/n` with n <= 80, whose last address is IPv4-mapped, so an IPv4 address.
        const last = refLastAddress(block);
        expect(cidrContains(parsed, cidr(refText(last)))).toBe(
          refNormalize(last).version === refNormalizeBlock(block).version,
        );
        const any = parsed.network.version === 4 ? '0.0.0.0/0' : '::/0';
        expect(cidrContains(cidr(any), parsed)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isAnyAddress', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['::ffff:0:0/96', true],
    ['10.0.0.0/8', false],
    ['::/1', false],
    ['128.0.0.0/1', false],
  ])('%s: %s', (text, expected) => {
    expect(isAnyAddress(cidr(text))).toBe(expected);
  });
});
