import type { ApiKeyInfo } from './api-key.js';
import type { AuditEvent } from './audit-event.js';
import type { ServiceAccount } from './service-account.js';

/**
 * An audit event a management write recorded, with the public view of what it changed: the key
 * or the account as it is after the change (as it was before, when the change removed it). Never
 * a digest or a secret: `ApiKeyInfo` has none. What the host's events are built from.
 *
 * @internal
 */
export interface AuditedChange {
  readonly event: AuditEvent;
  /** Set when the event's target is a key. */
  readonly key: ApiKeyInfo | null;
  /** Set when the event's target is a service account. */
  readonly account: ServiceAccount | null;
}
