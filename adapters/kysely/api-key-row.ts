import type { ActorRef } from '../../src/entities/actor.js';
import type { ApiKey, KeyEnvironment } from '../../src/entities/api-key.js';
import type { RateLimitRule } from '../../src/entities/request-controls.js';
import type { Metadata } from '../../src/entities/text.js';
import {
  fromEpochMs,
  fromJson,
  fromNullableEpochMs,
  fromNullableJson,
  toEpochMs,
  toJson,
  toNullableEpochMs,
  toNullableJson,
} from './column-codec.js';
import { columnsToCredits, creditsToColumns } from './key-credits-columns.js';
import type { ApiKeyRow, NewApiKeyRow } from './tables.js';

/** Every column of `keyward_api_keys`, in table order. @internal */
export const API_KEY_COLUMNS = [
  'id',
  'service_account_id',
  'tenant_id',
  'workspace_id',
  'name',
  'environment',
  'scopes',
  'hash',
  'hash_version',
  'pepper_id',
  'previous_hash',
  'previous_hash_version',
  'previous_pepper_id',
  'previous_hash_expires_at',
  'start',
  'status',
  'expires_at',
  'last_used_at',
  'created_by',
  'created_at',
  'updated_at',
  'revoked_at',
  'regenerated_by',
  'metadata',
  'disabled_at',
  'expiry_notice_at',
  'ip_allowlist',
  'rate_limits',
  'credits_remaining',
  'credits_refill_amount',
  'credits_refill_interval_ms',
  'credits_refilled_at',
] as const satisfies readonly (keyof ApiKeyRow)[];

/** A key as a row. @internal */
export function apiKeyToRow(key: ApiKey): NewApiKeyRow {
  return {
    id: key.id,
    service_account_id: key.serviceAccountId,
    tenant_id: key.tenantId,
    workspace_id: key.workspaceId,
    name: key.name,
    environment: key.environment,
    scopes: toNullableJson(key.scopes),
    hash: key.hash,
    hash_version: key.hashVersion,
    pepper_id: key.pepperId,
    previous_hash: key.previousHash,
    previous_hash_version: key.previousHashVersion,
    previous_pepper_id: key.previousPepperId,
    previous_hash_expires_at: toNullableEpochMs(key.previousHashExpiresAt),
    start: key.start,
    status: key.status,
    expires_at: toNullableEpochMs(key.expiresAt),
    last_used_at: toNullableEpochMs(key.lastUsedAt),
    created_by: toJson(key.createdBy),
    created_at: toEpochMs(key.createdAt),
    updated_at: toEpochMs(key.updatedAt),
    revoked_at: toNullableEpochMs(key.revokedAt),
    regenerated_by: toNullableJson(key.regeneratedBy),
    metadata: toJson(key.metadata),
    disabled_at: toNullableEpochMs(key.disabledAt),
    expiry_notice_at: toNullableEpochMs(key.expiryNoticeAt),
    ip_allowlist: toNullableJson(key.ipAllowlist),
    rate_limits: toJson(key.rateLimits),
    ...creditsToColumns(key.credits),
  };
}

/** A row as a key. @internal */
export function rowToApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    serviceAccountId: row.service_account_id,
    tenantId: row.tenant_id,
    workspaceId: row.workspace_id,
    name: row.name,
    environment: row.environment as KeyEnvironment,
    scopes: fromNullableJson<string[]>(row.scopes),
    hash: row.hash,
    hashVersion: Number(row.hash_version),
    pepperId: row.pepper_id,
    previousHash: row.previous_hash,
    previousHashVersion: row.previous_hash_version === null ? null : Number(row.previous_hash_version),
    previousPepperId: row.previous_pepper_id,
    previousHashExpiresAt: fromNullableEpochMs(row.previous_hash_expires_at),
    start: row.start,
    status: row.status as ApiKey['status'],
    expiresAt: fromNullableEpochMs(row.expires_at),
    lastUsedAt: fromNullableEpochMs(row.last_used_at),
    createdBy: fromJson<ActorRef>(row.created_by),
    createdAt: fromEpochMs(row.created_at),
    updatedAt: fromEpochMs(row.updated_at),
    revokedAt: fromNullableEpochMs(row.revoked_at),
    regeneratedBy: fromNullableJson<ActorRef>(row.regenerated_by),
    metadata: fromJson<Metadata>(row.metadata),
    disabledAt: fromNullableEpochMs(row.disabled_at),
    expiryNoticeAt: fromNullableEpochMs(row.expiry_notice_at),
    ipAllowlist: fromNullableJson<string[]>(row.ip_allowlist),
    rateLimits: fromJson<RateLimitRule[]>(row.rate_limits),
    credits: columnsToCredits(row),
  };
}
