import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';

/** SQLSTATEs and SQLite codes that mean a uniqueness rule or a concurrent change won. */
const CONFLICT_CODES = new Set([
  '23505', // unique_violation
  '23503', // foreign_key_violation (the account went away concurrently)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
]);

/** Codes that mean the database cannot be reached or is busy past its timeout. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

/** The driver's error code (`SQLITE_BUSY`, a SQLSTATE, `ECONNREFUSED`), when it has one. */
function driverCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
}

function isUnreachable(code: string | undefined, error: unknown): boolean {
  if (code === undefined) {
    // better-sqlite3 throws a TypeError once its handle is closed; pg a plain Error once its pool has ended.
    const message = error instanceof Error ? error.message : '';
    return /not open|closed|ended|terminated|destroyed|Connection/i.test(message);
  }
  return UNREACHABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('SQLITE_IOERR');
}

/**
 * Turns anything a driver throws into a `KeywardError`: `CONFLICT` for uniqueness and
 * concurrency violations, `STORAGE_UNAVAILABLE` for everything else. The message never holds
 * SQL or bound values; the driver error stays as `cause`, its code in `details.driverCode`.
 * A `KeywardError` passes through unchanged.
 *
 * @internal
 */
export function toStorageError(error: unknown): KeywardError {
  if (error instanceof KeywardError) return error;
  const code = driverCode(error);
  const details = code === undefined ? {} : { driverCode: code };
  if (code !== undefined && CONFLICT_CODES.has(code)) {
    return new KeywardError(ERROR_CODES.CONFLICT, 'Storage rejected a conflicting write', {
      cause: error,
      details,
    });
  }
  const message = isUnreachable(code, error) ? 'Storage is unavailable' : 'Storage operation failed';
  return new KeywardError(ERROR_CODES.STORAGE_UNAVAILABLE, message, { cause: error, details });
}

/**
 * The `STORAGE_UNAVAILABLE` of a SQLite operation that kept meeting `SQLITE_BUSY` /
 * `SQLITE_LOCKED` until its deadline: another connection held the lock for `busyTimeoutMs`.
 * The last driver error stays as `cause`, its code in `details.driverCode`.
 *
 * @internal
 */
export function busyTimedOut(error: unknown, busyTimeoutMs: number): KeywardError {
  const code = driverCode(error);
  return new KeywardError(
    ERROR_CODES.STORAGE_UNAVAILABLE,
    `Storage is busy: another connection held the database lock for ${busyTimeoutMs} ms`,
    { cause: error, details: code === undefined ? {} : { driverCode: code } },
  );
}

/** A `CONFLICT` raised by the adapter itself (stale version, duplicate id, vanished account). @internal */
export function conflict(message: string): KeywardError {
  return new KeywardError(ERROR_CODES.CONFLICT, message);
}

/** Runs `operation`, rethrowing any failure as a `KeywardError`. @internal */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStorageError(error);
  }
}
