import { z } from 'zod';
import { type AuditActor, auditActorSchema } from './actor.js';
import { auditEventIdSchema, tenantIdSchema, workspaceIdSchema } from './ids.js';
import { plainTextSchema } from './text.js';

/** Every action the audit trail records. */
export const auditActionSchema = z.enum([
  'service_account.create',
  'service_account.update',
  'service_account.datasets.set',
  'service_account.datasets.grant',
  'service_account.datasets.revoke',
  'service_account.disable',
  'service_account.enable',
  'service_account.delete',
  'api_key.issue',
  'api_key.regenerate',
  'api_key.revoke',
  'api_key.leak',
  'api_key.update',
  'api_key.disable',
  'api_key.enable',
  'api_key.sweep',
  'api_key.expiry_notice',
  'api_key.expired_notice',
  'api_key.reassign',
  // Refused verifications of a known key, counted per key and reason and written in batches
  // (`after: { count, firstAt, lastAt }`, `outcome: 'denied'`, `reason`: the refusal code).
  'api_key.refused',
]);

/** An audited action. */
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * Request metadata the host passes along with a management call. Each value is plain text (no
 * control, bidi-format or line-separator character, see `PLAIN_TEXT`): it lands in the audit
 * trail, which hosts log and show. Sanitise header values before passing them (HTTP allows tabs
 * and obs-text bytes that decode to C1 controls).
 */
export const requestContextSchema = z.strictObject({
  ip: plainTextSchema(64).optional(),
  userAgent: plainTextSchema(512).optional(),
  requestId: plainTextSchema(128).optional(),
  /** Leak reports only: the public URL where the key's token was found (`kw.keys.reportLeaks`). */
  url: plainTextSchema(2048).optional(),
  /** Leak reports only: where the scanner found it (GitHub: `content`, `commit`, `npm`...). */
  source: plainTextSchema(64).optional(),
});

/** Request metadata for the audit trail. */
export type RequestContext = z.infer<typeof requestContextSchema>;

/** A redacted JSON snapshot (digests and secrets removed). */
export type AuditSnapshot = Record<string, unknown>;

/**
 * One entry of the audit trail: who did what, to what, when, from where, and whether it was
 * allowed. `before` / `after` are redacted snapshots.
 */
export interface AuditEvent {
  /** `ev_` + 16 base62 characters. */
  id: string;
  tenantId: string;
  workspaceId: string | null;
  /** A person or a key, or keyward itself (`system`, for leak reports). */
  actor: AuditActor;
  action: AuditAction;
  /** `id` is null for a refused create, where no object came to exist. */
  target: { type: 'service_account' | 'api_key'; id: string | null };
  /**
   * `denied` for refused management attempts; `reason` then holds the decision reason. A change
   * `kw.keys.sweep` made says why in `reason` too (`unused`, `expired`, `expiring_soon`).
   */
  outcome: 'success' | 'denied';
  reason: string | null;
  before: AuditSnapshot | null;
  after: AuditSnapshot | null;
  request: RequestContext;
  createdAt: Date;
}

/** Schema of {@link AuditEvent} (used by adapters and tests). */
export const auditEventSchema = z.strictObject({
  id: auditEventIdSchema,
  tenantId: tenantIdSchema,
  workspaceId: workspaceIdSchema.nullable(),
  actor: auditActorSchema,
  action: auditActionSchema,
  target: z.strictObject({ type: z.enum(['service_account', 'api_key']), id: z.string().nullable() }),
  outcome: z.enum(['success', 'denied']),
  reason: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  request: requestContextSchema,
  createdAt: z.date(),
});
