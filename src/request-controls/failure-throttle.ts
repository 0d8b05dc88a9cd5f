import { addressGroupHash, addressGroupKey } from './address-group.js';

/** What a {@link FailureThrottle} is built from (`failedVerificationThrottle` after defaults). @internal */
export interface FailureThrottleOptions {
  /** Failed verifications an address group may make at once, a whole number from 1. */
  readonly limit: number;
  /** How long an exhausted budget takes to refill completely, in ms (a whole number from 1). */
  readonly windowMs: number;
  /** Most address groups remembered, a whole number from 1. */
  readonly maxAddresses: number;
}

/**
 * One group's budget, as a debt in units of 1/`limit` ms: each failure adds `windowMs`, each ms
 * pays back `limit`. In those units every quantity is a whole number below 2^53 (at most
 * `limit * windowMs`), so waits come out exact, with no rounding drift.
 */
interface Budget {
  debt: number;
  /** When `debt` was computed (epoch ms). */
  at: number;
  /** The group's {@link addressGroupHash}. */
  readonly hash: number;
}

/**
 * The verification failures a throttle counts: what a scanner of key ids or secrets produces
 * (a refusal of a known, valid key is not a guess).
 *
 * @internal
 */
export const THROTTLED_FAILURES: ReadonlySet<string> = new Set([
  'malformed_token',
  'key_not_found',
  'invalid_secret',
]);

/**
 * What {@link FailureThrottle.admit} answers: `wait` ms before the address may verify again (0:
 * now), and whether a failure was taken in advance (`reserved`), to be given back by
 * {@link FailureThrottle.settle} unless the verification fails.
 *
 * @internal
 */
export interface ThrottleAdmission {
  readonly wait: number;
  readonly reserved: boolean;
}

/** Admitted, nothing taken: an address with no failure on record (or no address). @internal */
export const ADMITTED_FREE: ThrottleAdmission = Object.freeze({ wait: 0, reserved: false });

/**
 * A budget of failed verifications per client address group (see `address-group.ts`: an IPv4
 * address, an IPv6 /64), a token bucket of `limit` failures refilled over `windowMs`. The
 * verifier asks {@link retryAfterMs} before it reads storage, and calls {@link failed} when a
 * token was wrong (malformed, unknown key, wrong secret); once a group's budget is spent its
 * tokens are refused without a storage read until a failure is allowed again.
 *
 * - Without an address (`undefined` or `''`) there is nothing to throttle by: always allowed.
 * - Time is the caller's `now` (epoch ms); a `now` before a group's last failure refills nothing.
 * - Memory is bounded: at most `maxAddresses` groups. When a new group finds it full, every group
 *   whose budget is full again is forgotten (it loses nothing), then, if still above 90% of the
 *   bound, the groups that failed longest ago (they get a fresh budget: a flood of distinct
 *   addresses can buy an old offender a fresh budget, never more). The 10% headroom keeps the scan
 *   amortised: at most one scan of the groups per tenth of `maxAddresses` new groups.
 *
 * @example
 * ```ts
 * const throttle = new FailureThrottle({ limit: 10, windowMs: 60_000, maxAddresses: 100_000 });
 * if (throttle.retryAfterMs(ip, now) > 0) return refuse();
 * if (!(await check(token))) throttle.failed(ip, now);
 * ```
 *
 * @internal
 */
export class FailureThrottle {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxAddresses: number;
  /** Groups by name, least recently failed first (a failure moves its group to the end). */
  readonly #budgets = new Map<string, Budget>();
  /** How many groups have each hash: an unseen address is answered without building its name. */
  readonly #hashes = new Map<number, number>();

  constructor(options: FailureThrottleOptions) {
    const { limit, windowMs, maxAddresses } = options;
    for (const [name, value] of [
      ['limit', limit],
      ['windowMs', windowMs],
      ['maxAddresses', maxAddresses],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new TypeError(`FailureThrottle: ${name} must be a whole number from 1`);
      }
    }
    if (!Number.isSafeInteger(limit * windowMs)) {
      throw new TypeError('FailureThrottle: limit * windowMs must stay below 2^53');
    }
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#maxAddresses = maxAddresses;
  }

  /** Address groups remembered (for tests and figures). */
  get size(): number {
    return this.#budgets.size;
  }

  /**
   * 0 when `address` may fail once more at `now` (budget left, a group never seen, or no
   * address), else the ms until it may. Synchronous and allocation-free for a group never seen.
   */
  retryAfterMs(address: string | undefined, now: number): number {
    if (address === undefined || address === '' || this.#budgets.size === 0) return 0;
    if (!this.#hashes.has(addressGroupHash(address))) return 0;
    const budget = this.#budgets.get(addressGroupKey(address));
    if (budget === undefined) return 0;
    const excess = this.#debtAt(budget, now) - (this.#limit - 1) * this.#windowMs;
    return excess <= 0 ? 0 : Math.ceil(excess / this.#limit);
  }

  /**
   * Before a verification that may read storage. An address group with failures on record is
   * admitted only while its budget has room counting the verifications it has in flight: each
   * admitted one takes a failure in advance (`reserved`), which {@link settle} gives back unless it
   * fails. So a wave of concurrent guesses from a group that has failed gets at most its remaining
   * budget through, not the whole wave. A group with no failure on record takes nothing (the
   * request path of valid keys pays a map lookup at most): its first concurrent burst is counted
   * as its verifications fail.
   */
  admit(address: string | undefined, now: number): ThrottleAdmission {
    if (address === undefined || address === '' || this.#budgets.size === 0) return ADMITTED_FREE;
    if (!this.#hashes.has(addressGroupHash(address))) return ADMITTED_FREE;
    const key = addressGroupKey(address);
    const budget = this.#budgets.get(key);
    if (budget === undefined) return ADMITTED_FREE;
    const debt = this.#debtAt(budget, now);
    if (debt === 0) return ADMITTED_FREE;
    const excess = debt - (this.#limit - 1) * this.#windowMs;
    if (excess > 0) return { wait: Math.ceil(excess / this.#limit), reserved: false };
    budget.debt = debt + this.#windowMs;
    budget.at = Math.max(budget.at, now);
    this.#budgets.delete(key);
    this.#budgets.set(key, budget);
    return { wait: 0, reserved: true };
  }

  /**
   * After a verification {@link admit} let through: a failure (`failed`) is counted, once; a
   * reserved failure that did not happen is given back. Reads `request.ip` (a getter, on the
   * request path) only when there is something to record.
   */
  settle(
    admission: ThrottleAdmission,
    failed: boolean,
    request: { readonly ip?: string | undefined },
    now: number,
  ): void {
    if (admission.reserved) {
      if (!failed) this.#refund(request.ip, now);
    } else if (failed) {
      this.failed(request.ip, now);
    }
  }

  /** Gives back one failure taken in advance for `address`'s group. */
  #refund(address: string | undefined, now: number): void {
    if (address === undefined || address === '') return;
    const budget = this.#budgets.get(addressGroupKey(address));
    if (budget === undefined) return;
    budget.debt = Math.max(0, this.#debtAt(budget, now) - this.#windowMs);
    budget.at = Math.max(budget.at, now);
  }

  /** Takes one failure from the budget of `address`'s group at `now` (nothing without an address). */
  failed(address: string | undefined, now: number): void {
    if (address === undefined || address === '') return;
    const key = addressGroupKey(address);
    const budget = this.#budgets.get(key);
    const capacity = this.#limit * this.#windowMs;
    if (budget !== undefined) {
      // A spent budget stays spent (debt capped at the capacity): failures that raced past a
      // check do not push the wait beyond one token's refill.
      budget.debt = Math.min(capacity, this.#debtAt(budget, now) + this.#windowMs);
      budget.at = Math.max(budget.at, now);
      this.#budgets.delete(key);
      this.#budgets.set(key, budget);
      return;
    }
    if (this.#budgets.size >= this.#maxAddresses) this.#evict(now);
    const hash = addressGroupHash(address);
    this.#budgets.set(key, { debt: Math.min(capacity, this.#windowMs), at: now, hash });
    this.#hashes.set(hash, (this.#hashes.get(hash) ?? 0) + 1);
  }

  /** The debt of `budget` at `now`: paid back since `at`, never below 0. */
  #debtAt(budget: Budget, now: number): number {
    const elapsed = now > budget.at ? now - budget.at : 0;
    return Math.max(0, budget.debt - elapsed * this.#limit);
  }

  /** Makes room for a new group: forgets full budgets, then the oldest down to 90% of the bound. */
  #evict(now: number): void {
    const target = Math.min(this.#maxAddresses - 1, Math.floor(this.#maxAddresses * 0.9));
    for (const [key, budget] of this.#budgets) {
      if (this.#debtAt(budget, now) === 0) this.#forget(key, budget);
    }
    for (const [key, budget] of this.#budgets) {
      if (this.#budgets.size <= target) break;
      this.#forget(key, budget);
    }
  }

  #forget(key: string, budget: Budget): void {
    this.#budgets.delete(key);
    const left = (this.#hashes.get(budget.hash) ?? 1) - 1;
    if (left === 0) this.#hashes.delete(budget.hash);
    else this.#hashes.set(budget.hash, left);
  }
}
