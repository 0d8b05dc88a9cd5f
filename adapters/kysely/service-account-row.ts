import type { ActorRef } from '../../src/entities/actor.js';
import type { DatasetAccess } from '../../src/entities/dataset-grant.js';
import type { RateLimitRule } from '../../src/entities/request-controls.js';
import {
  accountKind,
  type ServiceAccount,
  type ServiceAccountStatus,
} from '../../src/entities/service-account.js';
import type { Metadata } from '../../src/entities/text.js';
import {
  fromEpochMs,
  fromJson,
  fromNullableJson,
  toEpochMs,
  toJson,
  toNullableJson,
} from './column-codec.js';
import type { NewServiceAccountRow, ServiceAccountRow } from './tables.js';

/** Every column of `keyward_service_accounts`, in table order. @internal */
export const SERVICE_ACCOUNT_COLUMNS = [
  'id',
  'tenant_id',
  'workspace_id',
  'name',
  'description',
  'contact_email',
  'roles',
  'read_only',
  'dataset_access',
  'status',
  'created_by',
  'created_at',
  'updated_at',
  'version',
  'metadata',
  'kind',
  'owner_user_id',
  'ip_allowlist',
  'rate_limits',
] as const satisfies readonly (keyof ServiceAccountRow)[];

/** A service account as a row. @internal */
export function serviceAccountToRow(account: ServiceAccount): NewServiceAccountRow {
  return {
    id: account.id,
    tenant_id: account.tenantId,
    workspace_id: account.workspaceId,
    name: account.name,
    description: account.description,
    contact_email: account.contactEmail,
    roles: toJson(account.roles),
    read_only: account.readOnly ? 1 : 0,
    dataset_access: toJson(account.datasetAccess),
    status: account.status,
    created_by: toJson(account.createdBy),
    created_at: toEpochMs(account.createdAt),
    updated_at: toEpochMs(account.updatedAt),
    version: account.version,
    metadata: toJson(account.metadata),
    kind: accountKind(account),
    owner_user_id: account.ownerUserId ?? null,
    ip_allowlist: toNullableJson(account.ipAllowlist),
    rate_limits: toJson(account.rateLimits),
  };
}

/** A row as a service account. @internal */
export function rowToServiceAccount(row: ServiceAccountRow): ServiceAccount {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    contactEmail: row.contact_email,
    roles: fromJson<string[]>(row.roles),
    readOnly: Number(row.read_only) === 1,
    datasetAccess: fromJson<DatasetAccess>(row.dataset_access),
    status: row.status as ServiceAccountStatus,
    createdBy: fromJson<ActorRef>(row.created_by),
    createdAt: fromEpochMs(row.created_at),
    updatedAt: fromEpochMs(row.updated_at),
    version: Number(row.version),
    metadata: fromJson<Metadata>(row.metadata),
    ...(row.kind === 'personal' && row.owner_user_id !== null ? { ownerUserId: row.owner_user_id } : {}),
    ipAllowlist: fromNullableJson<string[]>(row.ip_allowlist),
    rateLimits: fromJson<RateLimitRule[]>(row.rate_limits),
  };
}
