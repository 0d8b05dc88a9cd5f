import { customAlphabet } from 'nanoid';
import { BASE62 } from './ids.js';

const randomTail = customAlphabet(BASE62, 5);

let lastMs = -1;
let sequence = 0;

/** A new service account id: `sa_` + 16 time-sortable base62 characters (see {@link newAuditEventId}). @internal */
export function newServiceAccountId(atMs: number): string {
  return `sa_${sortableId(atMs)}`;
}

/**
 * A new audit event id: `ev_` + 16 base62 characters that sort by time: 8 characters of the
 * event's epoch ms, 3 of a per-millisecond sequence, 5 random. Objects created in the same
 * millisecond by one process therefore list in the order they were made.
 *
 * @internal
 */
export function newAuditEventId(atMs: number): string {
  return `ev_${sortableId(atMs)}`;
}

function sortableId(atMs: number): string {
  if (atMs === lastMs) sequence++;
  else {
    lastMs = atMs;
    sequence = 0;
  }
  return `${toBase62(atMs, 8)}${toBase62(sequence, 3)}${randomTail()}`;
}

function toBase62(value: number, width: number): string {
  let out = '';
  let rest = Math.max(0, Math.floor(value));
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}
