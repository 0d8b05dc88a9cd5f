import type { AuditSnapshot } from '../entities/audit-event.js';

/** Field names that never enter the audit trail, whatever object they sit on. */
const REDACTED_FIELDS = /hash|secret|token|pepper/i;

/**
 * A JSON-safe copy of `value` for the audit trail: digests, secrets and tokens removed, Dates
 * as ISO strings.
 *
 * @internal
 */
export function redactForAudit(value: object | null): AuditSnapshot | null {
  if (value === null) return null;
  const out: AuditSnapshot = {};
  for (const [field, fieldValue] of Object.entries(value)) {
    if (REDACTED_FIELDS.test(field)) continue;
    out[field] = toJsonValue(fieldValue);
  }
  return out;
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') return redactForAudit(value);
  return value;
}
