import { describe, expect, it } from 'vitest';
import { ipAllowlistInputSchema } from '../../../src/entities/ip-allowlist-input.js';
import { keyCreditsInputSchema } from '../../../src/entities/key-credits-input.js';
import { updateKeyInputSchema } from '../../../src/entities/key-inputs.js';
import { updateServiceAccountInputSchema } from '../../../src/entities/service-account-inputs.js';
import { createTokenHasher, generateKey } from '../../../src/keys/index.js';

/** The issues of a failed parse, as path and message. */
function issuesOf(value: unknown) {
  const parsed = ipAllowlistInputSchema.safeParse(value);
  if (parsed.success) throw new Error('expected the list to be refused');
  return parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

describe('ipAllowlistInputSchema', () => {
  it('turns every entry into its canonical CIDR text, a bare address into a single-address block', () => {
    expect(
      ipAllowlistInputSchema.parse([
        '2001:DB8:0:0::/32',
        '10.0.0.7',
        '::ffff:10.0.0.0/104',
        '192.168.1.0/24',
      ]),
    ).toEqual(['2001:db8::/32', '10.0.0.7/32', '10.0.0.0/8', '192.168.1.0/24']);
  });

  it('refuses an entry with host bits set at its index, naming the block probably meant', () => {
    const issues = issuesOf(['192.168.0.0/16', '10.0.0.1/8']);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual([1]);
    expect(issues[0]?.message).toContain('10.0.0.1/8');
    expect(issues[0]?.message).toContain('did you mean 10.0.0.0/8?');
  });

  it('reports every malformed entry at its own index, with the reason', () => {
    const issues = issuesOf(['nope', '10.0.0.0/8', '10.0.0.0/33', '1.2.3.4/']);
    expect(issues.map((issue) => issue.path)).toEqual([[0], [2], [3]]);
    expect(issues[0]?.message).toContain('is not an IP address or CIDR block');
    expect(issues[1]?.message).toContain('prefix over 32');
  });

  it('refuses a block given twice once normalised, at the second index', () => {
    const issues = issuesOf(['2001:db8::/32', '10.0.0.0/8', '2001:DB8:0::/32']);
    expect(issues).toEqual([{ path: [2], message: '2001:db8::/32 is already entry 0 of the list' }]);
  });

  it('refuses an empty list and more than 1000 entries', () => {
    expect(ipAllowlistInputSchema.safeParse([]).success).toBe(false);
    const many = Array.from({ length: 1001 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(ipAllowlistInputSchema.safeParse(many).success).toBe(false);
    expect(ipAllowlistInputSchema.parse(many.slice(0, 1000))).toHaveLength(1000);
  });

  it('never repeats an entry longer than any block: a token pasted into the list stays out of the message', () => {
    const { token } = generateKey({ prefix: 'acme', hasher: createTokenHasher() });
    const issues = issuesOf([`${token}${token}`]);
    expect(issues[0]?.path).toEqual([0]);
    expect(issues[0]?.message).not.toContain(token.slice(-20));
    expect(issues[0]?.message).toContain('longer than any');
  });

  it('takes null (clear) and absence in the update inputs, and counts either as something to update', () => {
    expect(updateKeyInputSchema.parse({ keyId: 'k'.repeat(16), ipAllowlist: null })).toMatchObject({
      ipAllowlist: null,
    });
    expect(updateKeyInputSchema.safeParse({ keyId: 'k'.repeat(16), credits: null }).success).toBe(true);
    expect(
      updateServiceAccountInputSchema.safeParse({ id: 'sa_0000000000000000', ipAllowlist: null }).success,
    ).toBe(true);
  });
});

describe('keyCreditsInputSchema', () => {
  it('takes a balance alone, or with a refill of at least a minute', () => {
    expect(keyCreditsInputSchema.parse({ remaining: 0 })).toEqual({ remaining: 0 });
    expect(
      keyCreditsInputSchema.parse({ remaining: 5, refill: { amount: 100, intervalMs: 60_000 } }),
    ).toEqual({ remaining: 5, refill: { amount: 100, intervalMs: 60_000 } });
    expect(keyCreditsInputSchema.parse({ remaining: 5, refill: null })).toEqual({
      remaining: 5,
      refill: null,
    });
  });

  it('refuses negative or fractional balances, short intervals, empty refills and unknown members', () => {
    for (const value of [
      { remaining: -1 },
      { remaining: 1.5 },
      { remaining: 1, refill: { amount: 1, intervalMs: 59_999 } },
      { remaining: 1, refill: { amount: 0, intervalMs: 60_000 } },
      { remaining: 1, refilledAt: new Date() },
    ]) {
      expect(keyCreditsInputSchema.safeParse(value).success).toBe(false);
    }
  });
});
