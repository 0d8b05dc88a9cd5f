import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { busyTimedOut } from './storage-error.js';

/** How long a SQLite operation keeps retrying a busy database by default (like better-sqlite3's own 5 s). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** First pause after a busy attempt; each further pause doubles, up to the cap. */
const FIRST_RETRY_DELAY_MS = 1;
const MAX_RETRY_DELAY_MS = 25;

/**
 * True for `SQLITE_BUSY` and `SQLITE_LOCKED` and their extended codes: another connection (or a
 * pending statement of this one) holds a lock the statement needs.
 *
 * @internal
 */
export function isSqliteBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Runs `attempt`, and while it fails with {@link isSqliteBusy} runs it again after a pause (1 ms,
 * doubling to 25 ms), off the event loop, for up to `busyTimeoutMs` after the first failure;
 * then throws {@link busyTimedOut} (`STORAGE_UNAVAILABLE`). Other errors are rethrown at once.
 *
 * better-sqlite3 waits for a lock synchronously, for the handle's busy timeout: with a short one
 * (a few ms) each attempt blocks the event loop that long at most, and the waiting happens here.
 *
 * Only give it attempts that a busy failure leaves without effect: a statement in autocommit
 * mode, `BEGIN`, `COMMIT` (the transaction stays open), or a whole transaction that rolled back.
 * A statement inside an open transaction is not one of them: SQLite may have undone part of the
 * transaction, which must be rolled back, not continued.
 *
 * @internal
 */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, busyTimeoutMs: number): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!isSqliteBusy(error)) throw error;
    return retryAfterBusy(attempt, busyTimeoutMs, error);
  }
}

/**
 * The retries of {@link retryWhileBusy}, once `attempt` failed busy with `first`.
 *
 * @internal
 */
export async function retryAfterBusy<T>(
  attempt: () => Promise<T>,
  busyTimeoutMs: number,
  first: unknown,
): Promise<T> {
  const deadline = Date.now() + busyTimeoutMs;
  let lastError = first;
  for (let delay = FIRST_RETRY_DELAY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
    const pause = Math.min(delay, deadline - Date.now());
    if (pause <= 0) throw busyTimedOut(lastError, busyTimeoutMs);
    await new Promise((resolve) => setTimeout(resolve, pause));
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      lastError = error;
    }
  }
}

/**
 * The `busyTimeoutMs` option: {@link DEFAULT_BUSY_TIMEOUT_MS} when omitted, else a whole number of
 * milliseconds from 0 (fail at the first busy answer) up to 24 hours. Throws `INVALID_CONFIG`.
 *
 * @internal
 */
export function resolveBusyTimeout(value: unknown, fallback = DEFAULT_BUSY_TIMEOUT_MS): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 86_400_000) return value;
  const message = 'Expected busyTimeoutMs to be a whole number of milliseconds from 0 to 86400000';
  throw new KeywardError(ERROR_CODES.INVALID_CONFIG, message, {
    issues: [{ code: 'invalid_value', path: ['busyTimeoutMs'], message }],
  });
}
