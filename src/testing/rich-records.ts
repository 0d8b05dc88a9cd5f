import type { ApiKey } from '../entities/api-key.js';
import type { AuditEvent } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { testDigest, testKeyId } from './fixture-ids.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';

/**
 * An account with every optional field set and awkward values: unicode and quotes in text,
 * nested JSON, metadata of every value type, ms-precision dates, a key as creator, an IPv4 and
 * IPv6 allowlist and rate limits at the bounds.
 *
 * @internal
 */
export function richServiceAccount(tenantId: string): ServiceAccount {
  return buildServiceAccount({
    tenantId,
    workspaceId: 'ws-analytics.eu:1',
    name: 'Zoë\'s "ETL" bot 🚀',
    description: "Nightly export; uses \\ backslashes, 'quotes' and — dashes",
    contactEmail: 'data-team@example.com',
    roles: ['reader', 'ingest-writer', 'auditor'],
    readOnly: true,
    datasetAccess: { mode: 'selected', datasetIds: ['ds-sales', 'ds.events:2024', 'DS_Mixed'] },
    status: 'disabled',
    createdBy: { type: 'key', id: testKeyId(), serviceAccountId: 'sa_0123456789ABCdef' },
    createdAt: fixtureTime(-86_400_000 + 1),
    updatedAt: fixtureTime(999),
    version: 7,
    metadata: {
      team: 'data',
      cost_center: 4711,
      ratio: 0.125,
      big: 9_007_199_254_740_991,
      on: false,
      gone: null,
    },
    ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'],
    rateLimits: [
      { name: 'default', limit: 1_000, windowMs: 60_000 },
      { name: 'burst_2', limit: 1_000_000, windowMs: 86_400_000 },
    ],
  });
}

/**
 * A key with every nullable field set (scopes, pepper, previous digest and its receiver, dates,
 * regenerator, disabled, expiry notice, IP allowlist, credits with a refill at the largest exact
 * balance), rate limits and metadata of every value type.
 *
 * @internal
 */
export function richApiKey(account: ServiceAccount): ApiKey {
  return buildApiKeyFor(account, {
    name: 'CI — staging ✓',
    environment: 'test',
    scopes: ['datasets:read', 'workspace.events:*', '*:read'],
    hashVersion: 2,
    pepperId: 'pepper-2025',
    previousHash: testDigest(),
    previousHashVersion: 1,
    previousPepperId: 'pepper-2024',
    previousHashExpiresAt: fixtureTime(3_600_000 + 7),
    expiresAt: fixtureTime(365 * 86_400_000 + 123),
    lastUsedAt: fixtureTime(-1),
    createdBy: { type: 'key', id: testKeyId(), serviceAccountId: account.id },
    regeneratedBy: { type: 'user', id: 'ops-admin.eu:7' },
    previousRegeneratedBy: { type: 'key', id: testKeyId(), serviceAccountId: account.id },
    createdAt: fixtureTime(-5_000 + 1),
    updatedAt: fixtureTime(-2_000 + 998),
    metadata: { owner: 'Zoë "ops" \\ 🚀', ticket: 4711, ratio: 0.5, pager: true, gone: null },
    disabledAt: fixtureTime(-1_000 + 3),
    expiryNoticeAt: fixtureTime(-500 + 11),
    ipAllowlist: ['198.51.100.7/32', '::1/128'],
    rateLimits: [{ name: 'per-key', limit: 5, windowMs: 1_000 }],
    credits: {
      remaining: 9_007_199_254_740_991,
      refill: { amount: 9_007_199_254_740_991, intervalMs: 366 * 86_400_000 },
      refilledAt: fixtureTime(-3_000 + 17),
    },
  });
}

/**
 * An audit event with nested before/after snapshots, a denied outcome and full request data.
 *
 * @internal
 */
export function richAuditEvent(tenantId: string): AuditEvent {
  return buildAuditEvent({
    tenantId,
    workspaceId: 'ws-analytics.eu:1',
    actor: { type: 'key', id: testKeyId(), serviceAccountId: 'sa_0123456789ABCdef' },
    action: 'service_account.datasets.grant',
    outcome: 'denied',
    reason: 'exceeds_creator_rights',
    before: {
      roles: ['reader'],
      datasetAccess: { mode: 'selected', datasetIds: ['ds-a'] },
      nested: { deep: { list: [1, 2.5, -3, true, null, 'x'], empty: {}, none: [] } },
    },
    after: { roles: ['reader', 'writer'], note: 'Zoë "quoted" \\ 🚀', count: 0, flag: false, missing: null },
    request: { ip: '2001:db8::1', userAgent: 'curl/8.4.0 (x86_64)', requestId: 'req_01HZX' },
    createdAt: fixtureTime(42),
  });
}
