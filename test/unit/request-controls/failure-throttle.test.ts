import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../../src/request-controls/failure-throttle.js';

const T0 = Date.UTC(2026, 0, 1);

function throttle(limit = 3, windowMs = 1000, maxAddresses = 100): FailureThrottle {
  return new FailureThrottle({ limit, windowMs, maxAddresses });
}

/** Fails `address` `times` times at `now`. */
function fail(target: FailureThrottle, address: string, times: number, now = T0): void {
  for (let i = 0; i < times; i++) target.failed(address, now);
}

describe('FailureThrottle budget', () => {
  it('allows `limit` failures, then refuses with the exact wait for one token', () => {
    const t = throttle(3, 1000);
    fail(t, '203.0.113.7', 2);
    expect(t.retryAfterMs('203.0.113.7', T0)).toBe(0);
    t.failed('203.0.113.7', T0);
    // One token refills in 1000 / 3 = 333.3 ms: 334 whole ms.
    expect(t.retryAfterMs('203.0.113.7', T0)).toBe(334);
    expect(t.retryAfterMs('203.0.113.7', T0 + 100)).toBe(234);
    expect(t.retryAfterMs('203.0.113.7', T0 + 333)).toBe(1);
    expect(t.retryAfterMs('203.0.113.7', T0 + 334)).toBe(0);
  });

  it('refills continuously: a failure spent during refill is owed again', () => {
    const t = throttle(2, 1000);
    fail(t, '198.51.100.1', 2);
    expect(t.retryAfterMs('198.51.100.1', T0)).toBe(500);
    t.failed('198.51.100.1', T0 + 500);
    expect(t.retryAfterMs('198.51.100.1', T0 + 500)).toBe(500);
    // A whole window later the budget is full again: two failures in a row are allowed.
    expect(t.retryAfterMs('198.51.100.1', T0 + 1500)).toBe(0);
    t.failed('198.51.100.1', T0 + 1500);
    expect(t.retryAfterMs('198.51.100.1', T0 + 1500)).toBe(0);
    t.failed('198.51.100.1', T0 + 1500);
    expect(t.retryAfterMs('198.51.100.1', T0 + 1500)).toBe(500);
  });

  it('caps a spent budget: failures that raced past the check wait one token, not more', () => {
    const t = throttle(1, 60_000);
    fail(t, '192.0.2.9', 5);
    expect(t.retryAfterMs('192.0.2.9', T0)).toBe(60_000);
    expect(t.retryAfterMs('192.0.2.9', T0 + 59_999)).toBe(1);
    expect(t.retryAfterMs('192.0.2.9', T0 + 60_000)).toBe(0);
  });

  it('refills nothing for a now before the last failure (clock skew)', () => {
    const t = throttle(1, 1000);
    t.failed('192.0.2.1', T0);
    expect(t.retryAfterMs('192.0.2.1', T0 - 5000)).toBe(1000);
    t.failed('192.0.2.1', T0 - 5000);
    expect(t.retryAfterMs('192.0.2.1', T0)).toBe(1000);
  });

  it('keeps separate budgets per address and answers 0 for an address never seen', () => {
    const t = throttle(1, 1000);
    t.failed('192.0.2.1', T0);
    expect(t.retryAfterMs('192.0.2.1', T0)).toBe(1000);
    expect(t.retryAfterMs('192.0.2.2', T0)).toBe(0);
    expect(t.retryAfterMs('2001:db8::1', T0)).toBe(0);
    expect(t.retryAfterMs('not an address', T0)).toBe(0);
  });

  it('never throttles without an address', () => {
    const t = throttle(1, 1000);
    t.failed(undefined, T0);
    t.failed('', T0);
    expect(t.size).toBe(0);
    expect(t.retryAfterMs(undefined, T0)).toBe(0);
    expect(t.retryAfterMs('', T0)).toBe(0);
  });

  it('refuses options that are not whole numbers from 1', () => {
    expect(() => new FailureThrottle({ limit: 0, windowMs: 1000, maxAddresses: 1 })).toThrow(TypeError);
    expect(() => new FailureThrottle({ limit: 1, windowMs: 1.5, maxAddresses: 1 })).toThrow(/windowMs/);
    expect(() => new FailureThrottle({ limit: 1, windowMs: 1000, maxAddresses: Number.NaN })).toThrow(
      /maxAddresses/,
    );
  });
});

describe('FailureThrottle address groups', () => {
  it('counts every address of one IPv6 /64 as one group, whatever its spelling', () => {
    const t = throttle(3, 1000);
    t.failed('2001:db8:1:2::1', T0);
    t.failed('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', T0);
    t.failed('2001:db8:1:2:a:b:c:d', T0);
    expect(t.size).toBe(1);
    expect(t.retryAfterMs('2001:db8:1:2::99', T0)).toBe(334);
    // The neighbouring /64 has its own budget.
    expect(t.retryAfterMs('2001:db8:1:3::1', T0)).toBe(0);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    const t = throttle(2, 1000);
    t.failed('::ffff:203.0.113.7', T0);
    t.failed('203.0.113.7', T0);
    expect(t.size).toBe(1);
    expect(t.retryAfterMs('203.0.113.7', T0)).toBe(500);
    expect(t.retryAfterMs('::ffff:cb00:7107', T0)).toBe(500);
    // Other IPv4 addresses, even in the same /24 or the ::ffff:0:0/96 block, are their own.
    expect(t.retryAfterMs('203.0.113.8', T0)).toBe(0);
    expect(t.retryAfterMs('::ffff:203.0.113.8', T0)).toBe(0);
  });

  it('makes an unparseable address its own group, by its first 64 characters', () => {
    const t = throttle(1, 1000);
    const long = `x${'y'.repeat(80)}`;
    t.failed(long, T0);
    expect(t.retryAfterMs(`${long.slice(0, 64)}z`, T0)).toBe(1000);
    expect(t.retryAfterMs(long.slice(0, 63), T0)).toBe(0);
    t.failed('fe80::1%eth0', T0);
    expect(t.retryAfterMs('fe80::1%eth0', T0)).toBe(1000);
    expect(t.retryAfterMs('fe80::1', T0)).toBe(0);
    // A text that spells a group's name is not that group.
    t.failed('2001:db8::1', T0);
    expect(t.retryAfterMs('2001:db8::/64', T0)).toBe(0);
    expect(t.retryAfterMs('raw:fe80::1%eth0', T0)).toBe(0);
  });
});

describe('FailureThrottle memory bound', () => {
  it('never holds more than maxAddresses groups', () => {
    const t = throttle(1, 60_000, 50);
    for (let i = 0; i < 1000; i++) {
      t.failed(`10.0.${i >> 8}.${i & 255}`, T0 + i);
      expect(t.size).toBeLessThanOrEqual(50);
    }
    expect(t.size).toBeGreaterThanOrEqual(45);
    // The newest groups are the ones kept.
    expect(t.retryAfterMs('10.0.3.231', T0 + 999)).toBe(60_000);
    expect(t.retryAfterMs('10.0.3.200', T0 + 999)).toBe(60_000 - 31);
    expect(t.retryAfterMs('10.0.0.0', T0 + 999)).toBe(0);
  });

  it('forgets groups whose budget is full again before any group still owing', () => {
    const t = throttle(1, 1000, 10);
    // Nine groups that failed at T0 (full again by T0 + 1000), then one that owes.
    for (let i = 0; i < 9; i++) t.failed(`192.0.2.${i}`, T0);
    t.failed('198.51.100.1', T0 + 900);
    expect(t.size).toBe(10);
    t.failed('198.51.100.2', T0 + 1200);
    expect(t.size).toBe(2);
    expect(t.retryAfterMs('198.51.100.1', T0 + 1200)).toBe(700);
    expect(t.retryAfterMs('198.51.100.2', T0 + 1200)).toBe(1000);
  });

  it('forgets the longest-idle groups, down to 90% of the bound, when every budget still owes', () => {
    const t = throttle(1, 60_000, 20);
    for (let i = 0; i < 20; i++) t.failed(`192.0.2.${i}`, T0 + i);
    // A new failure of the first group moves it to the newest end.
    t.failed('192.0.2.0', T0 + 30);
    t.failed('198.51.100.1', T0 + 40);
    expect(t.size).toBe(19);
    const forgotten = Array.from({ length: 20 }, (_, i) => i).filter(
      (i) => t.retryAfterMs(`192.0.2.${i}`, T0 + 40) === 0,
    );
    expect(forgotten).toEqual([1, 2]);
    expect(t.retryAfterMs('198.51.100.1', T0 + 40)).toBe(60_000);
  });

  it('keeps a bound of one', () => {
    const t = throttle(1, 1000, 1);
    t.failed('192.0.2.1', T0);
    t.failed('192.0.2.2', T0);
    expect(t.size).toBe(1);
    expect(t.retryAfterMs('192.0.2.1', T0)).toBe(0);
    expect(t.retryAfterMs('192.0.2.2', T0)).toBe(1000);
  });
});

describe('FailureThrottle admissions (verifications in flight)', () => {
  const A = '203.0.113.9';
  const at = { ip: A };

  it('takes nothing for an address with no failure on record', () => {
    const t = throttle(3, 1000);
    const admitted = Array.from({ length: 10 }, () => t.admit(A, T0));
    expect(admitted.every((admission) => admission.wait === 0 && !admission.reserved)).toBe(true);
    expect(t.size).toBe(0);
  });

  it('admits an address with failures on record only within its remaining budget, counting those in flight', () => {
    const t = throttle(3, 1000);
    t.failed(A, T0);
    const wave = Array.from({ length: 5 }, () => t.admit(A, T0));
    expect(wave.map((admission) => admission.reserved)).toEqual([true, true, false, false, false]);
    expect(wave.slice(2).every((admission) => admission.wait > 0)).toBe(true);
    // Both in flight fail: counted once each, the budget is spent.
    for (const admission of wave.slice(0, 2)) t.settle(admission, true, at, T0);
    expect(t.retryAfterMs(A, T0)).toBe(334);
  });

  it('gives back what an admitted verification that did not fail had taken', () => {
    const t = throttle(3, 1000);
    t.failed(A, T0);
    const first = t.admit(A, T0);
    const second = t.admit(A, T0);
    expect(t.admit(A, T0).wait).toBeGreaterThan(0);
    t.settle(first, false, at, T0);
    t.settle(second, false, at, T0);
    // Two failures left again, as before the two valid verifications.
    t.failed(A, T0);
    expect(t.retryAfterMs(A, T0)).toBe(0);
    t.failed(A, T0);
    expect(t.retryAfterMs(A, T0)).toBe(334);
  });

  it('counts a failure of an address admitted free once, and reads the address only then', () => {
    const t = throttle(3, 1000);
    let reads = 0;
    const counted = {
      get ip() {
        reads += 1;
        return A;
      },
    };
    t.settle(t.admit(A, T0), false, counted, T0);
    expect(reads).toBe(0);
    t.settle(t.admit(A, T0), true, counted, T0);
    expect([reads, t.size]).toEqual([1, 1]);
  });
});
