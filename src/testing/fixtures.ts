import type { ApiKey } from '../entities/api-key.js';
import type { AuditEvent } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import {
  testAuditEventId,
  testDigest,
  testKeyId,
  testServiceAccountId,
  testTenantId,
} from './fixture-ids.js';

/** The instant fixtures are created at unless overridden (note the non-zero milliseconds). */
export const FIXTURE_TIME: Date = new Date('2025-03-14T15:09:26.535Z');

/**
 * `FIXTURE_TIME` moved by `offsetMs` milliseconds: a fresh Date on every call.
 *
 * @example
 * ```ts
 * const account = buildServiceAccount({ createdAt: fixtureTime(5) });
 * ```
 */
export function fixtureTime(offsetMs = 0): Date {
  return new Date(FIXTURE_TIME.getTime() + offsetMs);
}

/**
 * A valid service account record with fresh ids (`sa_` + 16 base62, and a tenant of its own),
 * with `overrides` applied.
 *
 * @example
 * ```ts
 * const account = buildServiceAccount({ tenantId: 't_1', roles: ['reader'] });
 * await storage.insertServiceAccount({ account });
 * ```
 */
export function buildServiceAccount(overrides: Partial<ServiceAccount> = {}): ServiceAccount {
  return {
    id: testServiceAccountId(),
    tenantId: testTenantId(),
    workspaceId: 'ws-main',
    name: 'ingest-bot',
    description: null,
    contactEmail: null,
    roles: ['reader'],
    readOnly: false,
    datasetAccess: { mode: 'all' },
    status: 'active',
    createdBy: { type: 'user', id: 'user-1' },
    createdAt: fixtureTime(),
    updatedAt: fixtureTime(),
    version: 1,
    metadata: {},
    ipAllowlist: null,
    rateLimits: [],
    ...overrides,
  };
}

/**
 * A valid, active API key record (16 base62 id, 64 hex digest), with `overrides` applied. Pass
 * `serviceAccountId`, `tenantId` and `workspaceId` of a stored account, or use
 * {@link buildApiKeyFor}.
 *
 * @example
 * ```ts
 * const key = buildApiKey({ serviceAccountId: account.id, tenantId: account.tenantId });
 * ```
 */
export function buildApiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  const id = overrides.id ?? testKeyId();
  return {
    id,
    serviceAccountId: testServiceAccountId(),
    tenantId: testTenantId(),
    workspaceId: 'ws-main',
    name: 'production',
    environment: 'live',
    scopes: null,
    hash: testDigest(),
    hashVersion: 1,
    pepperId: null,
    previousHash: null,
    previousHashVersion: null,
    previousPepperId: null,
    previousHashExpiresAt: null,
    start: `acme_${id}_abcd`,
    status: 'active',
    expiresAt: null,
    lastUsedAt: null,
    createdBy: { type: 'user', id: 'user-1' },
    regeneratedBy: null,
    previousRegeneratedBy: null,
    createdAt: fixtureTime(),
    updatedAt: fixtureTime(),
    revokedAt: null,
    metadata: {},
    disabledAt: null,
    expiryNoticeAt: null,
    ipAllowlist: null,
    rateLimits: [],
    credits: null,
    ...overrides,
  };
}

/**
 * {@link buildApiKey} for a key of `account` (same account id, tenant and workspace).
 *
 * @example
 * ```ts
 * await storage.insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 2, now: new Date() });
 * ```
 */
export function buildApiKeyFor(account: ServiceAccount, overrides: Partial<ApiKey> = {}): ApiKey {
  return buildApiKey({
    serviceAccountId: account.id,
    tenantId: account.tenantId,
    workspaceId: account.workspaceId,
    ...overrides,
  });
}

/**
 * A valid audit event record (`ev_` + 16 base62 id, a tenant of its own), with `overrides`
 * applied.
 *
 * @example
 * ```ts
 * await storage.insertAuditEvent({ event: buildAuditEvent({ tenantId: 't_1' }) });
 * ```
 */
export function buildAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: testAuditEventId(),
    tenantId: testTenantId(),
    workspaceId: 'ws-main',
    actor: { type: 'user', id: 'user-1' },
    action: 'service_account.create',
    target: { type: 'service_account', id: testServiceAccountId() },
    outcome: 'success',
    reason: null,
    before: null,
    after: { name: 'ingest-bot' },
    request: {},
    createdAt: fixtureTime(),
    ...overrides,
  };
}
