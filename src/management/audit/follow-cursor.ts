import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { AuditPosition } from '../../storage/storage-adapter.js';

/** Where a follower without a cursor starts: before every stored event. @internal */
export const TRAIL_START: AuditPosition = Object.freeze({ transaction: 0n, sequence: 0n });

/** The largest part of a position: both are below 2^63 (PostgreSQL `bigint`). */
const MAX_PART = (1n << 63n) - 1n;

/** `f.<transaction>.<sequence>` in decimal, without leading zeros: one text per position. */
const FOLLOW_CURSOR = /^f\.(0|[1-9]\d{0,18})\.(0|[1-9]\d{0,18})$/;

/**
 * Encodes a follow position as an opaque base64url cursor. The `f.` prefix keeps it apart from
 * the cursors of lists, which `decodeFollowCursor` refuses.
 *
 * @internal
 */
export function encodeFollowCursor(position: AuditPosition): string {
  const raw = `f.${position.transaction}.${position.sequence}`;
  return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes a cursor from {@link encodeFollowCursor} ({@link TRAIL_START} without one); throws
 * `INVALID_INPUT` when it is not one.
 *
 * @internal
 */
export function decodeFollowCursor(cursor: string | undefined): AuditPosition {
  if (cursor === undefined) return TRAIL_START;
  let raw: string;
  try {
    raw = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw invalidCursor();
  }
  const match = FOLLOW_CURSOR.exec(raw);
  if (match === null) throw invalidCursor();
  const transaction = BigInt(match[1] as string);
  const sequence = BigInt(match[2] as string);
  if (transaction > MAX_PART || sequence > MAX_PART) throw invalidCursor();
  return { transaction, sequence };
}

function invalidCursor(): KeywardError {
  return new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid cursor', {
    issues: [{ code: 'custom', path: ['cursor'], message: 'Malformed cursor' }],
  });
}
