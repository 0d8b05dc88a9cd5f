import { definePermissions } from './permission-catalog.js';
import { defineRoles } from './role-catalog.js';

/**
 * The default permission catalog, shaped like a data platform: tenant-level listing, workspace
 * administration and ingestion, and per-dataset reads, writes and deletes.
 *
 * @example
 * ```ts
 * const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
 * ```
 */
export const defaultPermissions = definePermissions({
  'tenant.workspaces:list': {
    scope: 'tenant',
    access: 'read',
    description: 'List the workspaces of the tenant',
  },
  'tenant.users.roles:read': {
    scope: 'tenant',
    access: 'read',
    description: 'Read who holds which role in the tenant',
  },
  'workspace:read': { scope: 'workspace', access: 'read', description: 'Read workspace settings' },
  'workspace:ingest': { scope: 'workspace', access: 'write', description: 'Send data into the workspace' },
  'workspace.schemas:read': { scope: 'workspace', access: 'read', description: 'Read the workspace schemas' },
  'workspace.ledger:read': { scope: 'workspace', access: 'read', description: 'Read the workspace ledger' },
  'workspace.users.roles:read': {
    scope: 'workspace',
    access: 'read',
    description: 'Read who holds which role in the workspace',
  },
  'service_accounts:read': {
    scope: 'workspace',
    access: 'read',
    description: 'List and read service accounts',
  },
  'service_accounts:manage': {
    scope: 'workspace',
    access: 'admin',
    description: 'Create, edit, disable and delete service accounts',
  },
  'api_keys:manage': {
    scope: 'workspace',
    access: 'admin',
    description: 'Issue, regenerate and revoke API keys',
  },
  'datasets:read': { scope: 'dataset', access: 'read', description: 'Query a dataset' },
  'datasets:write': { scope: 'dataset', access: 'write', description: 'Write rows into a dataset' },
  'datasets:delete': { scope: 'dataset', access: 'admin', description: 'Delete a dataset' },
});

/** A permission name of {@link defaultPermissions}. */
export type DefaultPermission = (typeof defaultPermissions)['permissions'][number]['name'];

/**
 * The default roles over {@link defaultPermissions}: `owner` (everything, never assignable to a
 * service account), `admin` (everything), `analyst` (every read and every data write, no
 * admin action) and `viewer` (every read).
 */
export const defaultRoles = defineRoles(defaultPermissions, {
  owner: {
    grants: ['*'],
    assignableToServiceAccounts: false,
    description: 'Workspace owner: every permission; held by humans only',
  },
  admin: { grants: ['*'], description: 'Every permission, including account and key management' },
  analyst: {
    grants: ['*:read', '*:list', 'datasets:write', 'workspace:ingest'],
    description: 'Reads everything and writes data; no administration',
  },
  viewer: { grants: ['*:read', '*:list'], description: 'Reads everything' },
});

/** A role name of {@link defaultRoles}. */
export type DefaultRole = (typeof defaultRoles)['roles'][number]['name'];
