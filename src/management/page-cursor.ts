import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { PageAfter } from '../storage/storage-adapter.js';

/** Encodes a page position as an opaque base64url cursor. @internal */
export function encodeCursor(position: { readonly createdAt: Date; readonly id: string | null }): string {
  const raw = `${position.createdAt.getTime()}.${position.id ?? ''}`;
  return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor from {@link encodeCursor}; throws `INVALID_INPUT` when it is not one. @internal */
export function decodeCursor(cursor: string | undefined): PageAfter | undefined {
  if (cursor === undefined) return undefined;
  let raw: string;
  try {
    raw = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw invalidCursor();
  }
  const match = /^(\d{1,15})\.([A-Za-z0-9_]{1,64})$/.exec(raw);
  if (match === null) throw invalidCursor();
  return { createdAt: new Date(Number(match[1])), id: match[2] as string };
}

function invalidCursor(): KeywardError {
  return new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid cursor', {
    issues: [{ code: 'custom', path: ['cursor'], message: 'Malformed cursor' }],
  });
}
