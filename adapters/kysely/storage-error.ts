import { ERROR_CODES, type ErrorCode } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { classifyDriverFailure, type DriverFailureKind, driverCode } from './driver-failure.js';

/** The error of each kind of driver failure; messages never hold SQL, values or the driver's words. */
const STORAGE_ERRORS: Readonly<Record<DriverFailureKind, { code: ErrorCode; message: string }>> = {
  conflict: { code: ERROR_CODES.CONFLICT, message: 'Storage rejected a conflicting write' },
  schema: {
    code: ERROR_CODES.STORAGE_SCHEMA,
    message: "keyward's tables are missing or outdated: run migrateToLatest",
  },
  unreachable: { code: ERROR_CODES.STORAGE_UNAVAILABLE, message: 'Storage is unavailable' },
  failed: { code: ERROR_CODES.STORAGE_UNAVAILABLE, message: 'Storage operation failed' },
};

/**
 * Turns anything a driver throws into a `KeywardError`, by the driver's error code (see
 * {@link classifyDriverFailure}): `CONFLICT` for uniqueness and concurrency violations,
 * `STORAGE_SCHEMA` for a missing table or column, `STORAGE_UNAVAILABLE` for everything else
 * (with "Storage is unavailable" when the database cannot be reached). The message never holds
 * SQL or bound values; the driver error stays as `cause`, its code in `details.driverCode`.
 * A `KeywardError` passes through unchanged.
 *
 * @internal
 */
export function toStorageError(error: unknown): KeywardError {
  if (error instanceof KeywardError) return error;
  const { kind, code } = classifyDriverFailure(error);
  const details = code === undefined ? {} : { driverCode: code };
  const { code: keywardCode, message } = STORAGE_ERRORS[kind];
  return new KeywardError(keywardCode, message, { cause: error, details });
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
