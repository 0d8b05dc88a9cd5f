import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIpAddress,
  type IpAddress,
  parseIpAddress,
} from '../../../../src/request-controls/ip/index.js';
import { addressArb, type RefAddress, refNormalize, refText, styleArb } from './support/ip-reference.js';

/** The address a reference address is, as parseIpAddress should answer it. */
function expected(address: RefAddress): IpAddress {
  const normal = refNormalize(address);
  if (normal.version === 4) return { version: 4, value: Number.parseInt(normal.bits, 2) };
  const word = (w: number) => Number.parseInt(normal.bits.slice(32 * w, 32 * w + 32), 2);
  return { version: 6, words: [word(0), word(1), word(2), word(3)] };
}

describe('parseIpAddress', () => {
  it.each([
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['203.0.113.7', 4, '203.0.113.7'],
    ['10.0.0.1', 4, '10.0.0.1'],
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['1::', 6, '1::'],
    ['2001:db8::1', 6, '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', 6, '2001:db8::1'],
    ['2001:DB8::A:b:C', 6, '2001:db8::a:b:c'],
    ['1:2:3:4:5:6:7:8', 6, '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', 6, '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', 6, '0:2:3:4:5:6:7:8'],
    ['fe80::1', 6, 'fe80::1'],
    ['1:2:3:4:5:6:1.2.3.4', 6, '1:2:3:4:5:6:102:304'],
    ['::1.2.3.4', 6, '::102:304'],
    ['64:ff9b::192.0.2.33', 6, '64:ff9b::c000:221'],
    ['::fffe:1.2.3.4', 6, '::fffe:102:304'],
    ['::ffff:1:1.2.3.4', 6, '::ffff:1:102:304'],
    ['::ffff:1.2.3.4', 4, '1.2.3.4'],
    ['::FFFF:1.2.3.4', 4, '1.2.3.4'],
    ['::ffff:127.0.0.1', 4, '127.0.0.1'],
    ['0:0:0:0:0:ffff:203.0.113.7', 4, '203.0.113.7'],
    ['0000:0000:0000:0000:0000:FFFF:cb00:7107', 4, '203.0.113.7'],
    ['::ffff:c000:0201', 4, '192.0.2.1'],
    ['::ffff:0:0', 4, '0.0.0.0'],
  ])('reads %s as IPv%i %s', (text, version, canonical) => {
    const address = parseIpAddress(text);
    expect(address?.version).toBe(version);
    expect(formatIpAddress(address!)).toBe(canonical);
  });

  it.each([
    '',
    ' ',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.1000',
    '01.2.3.4',
    '1.2.3.04',
    '00.0.0.0',
    '1.2.3.',
    '.1.2.3',
    '1..2.3',
    '1.2.3.-4',
    '+1.2.3.4',
    '0x1.2.3.4',
    '1e2.0.0.1',
    '4294967295',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4/32',
    '1.2.3.4:80',
    '١.٢.٣.٤',
    '１.2.3.4',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'g::1',
    ':1::',
    ':1',
    '1:',
    '1::2:',
    'fe80::1%eth0',
    'fe80::1%1',
    '[::1]',
    '[::1]:80',
    '::1 ',
    ' ::1',
    '::ffff:01.2.3.4',
    '::ffff:1.2.3',
    '::ffff:256.1.1.1',
    '::ffff:1.2.3.4x',
    '::ffff:1.2.3.4 ',
    '::ffff:',
    '::ffff:1.2.3.4:5',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1:2:3:4:5:6::1.2.3.4',
    '::1.2.3.4.5',
    '1.2.3.4::',
    '1.2.3.4::1',
    '::1.2.3',
    '::ｆ',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it('refuses a text that is not a string, at run time', () => {
    expect(parseIpAddress(undefined as unknown as string)).toBeNull();
    expect(parseIpAddress(0x7f000001 as unknown as string)).toBeNull();
  });

  it('answers frozen plain data', () => {
    const address = parseIpAddress('2001:db8::1')!;
    expect(Object.isFrozen(address)).toBe(true);
    expect(address).toEqual({ version: 6, words: [0x20010db8, 0, 0, 1] });
    expect(parseIpAddress('203.0.113.7')).toEqual({ version: 4, value: 0xcb007107 });
  });

  it('reads every text form of a random address as that address (mapped ones as IPv4)', () => {
    fc.assert(
      fc.property(addressArb, styleArb, (address, style) => {
        expect(parseIpAddress(refText(address, style))).toEqual(expected(address));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with node:net isIP on which texts are addresses', () => {
    const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEF');
    const group = fc.oneof(
      { weight: 12, arbitrary: fc.string({ unit: hexDigit, minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom('', 'g', '%1') },
      { weight: 1, arbitrary: fc.string({ unit: hexDigit, minLength: 5, maxLength: 5 }) },
    );
    const octet = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 300 }).map(String) },
      { weight: 1, arbitrary: fc.constantFrom('', '00', '01', '007', 'a') },
    );
    const dotted = fc.array(octet, { minLength: 3, maxLength: 5 }).map((octets) => octets.join('.'));
    // Groups left of an optional `::`, groups right of it, an optional dotted tail: mostly near-valid.
    const v6Like = fc
      .record({
        left: fc.array(group, { maxLength: 8 }),
        gap: fc.boolean(),
        right: fc.array(group, { maxLength: 8 }),
        tail: fc.option(dotted),
      })
      .map(({ left, gap, right, tail }) => {
        const rightPart = [...right, ...(tail === null ? [] : [tail])].join(':');
        return gap
          ? `${left.join(':')}::${rightPart}`
          : [left.join(':'), rightPart].filter(Boolean).join(':');
      });
    // A stray character somewhere, to reach the edges.
    const mutated = fc
      .tuple(v6Like, fc.nat(), fc.constantFrom(':', '.', '0', 'f', ' ', '%', '/'))
      .map(
        ([text, at, char]) =>
          text.slice(0, at % (text.length + 1)) + char + text.slice(at % (text.length + 1)),
      );
    fc.assert(
      fc.property(fc.oneof(v6Like, mutated, dotted), (candidate) => {
        // Node accepts a zone id (`fe80::1%eth0`); keyward never does.
        expect(parseIpAddress(candidate) !== null).toBe(isIP(candidate) !== 0 && !candidate.includes('%'));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('formatIpAddress', () => {
  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['0:1:0:0:0:0:0:0', '0:1::'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'],
    ['0001:0020:0300:4000::', '1:20:300:4000::'],
  ])('writes %s as %s (RFC 5952)', (text, canonical) => {
    expect(formatIpAddress(parseIpAddress(text)!)).toBe(canonical);
  });

  it('round-trips: parse(format(parse(text))) is parse(text), and format is a fixed point', () => {
    fc.assert(
      fc.property(addressArb, styleArb, (address, style) => {
        const parsed = parseIpAddress(refText(address, style))!;
        const canonical = formatIpAddress(parsed);
        expect(parseIpAddress(canonical)).toEqual(parsed);
        expect(formatIpAddress(parseIpAddress(canonical)!)).toBe(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes IPv6 as the WHATWG URL serialiser does (RFC 5952 compression rules)', () => {
    fc.assert(
      fc.property(addressArb, (address) => {
        const parsed = parseIpAddress(refText(address))!;
        fc.pre(parsed.version === 6);
        expect(`[${formatIpAddress(parsed)}]`).toBe(new URL(`http://[${refText(address)}]/`).hostname);
      }),
      { numRuns: 2000 },
    );
  });
});
