/**
 * Type tests: compiled by `npm run typecheck`, never run. Each `@ts-expect-error` proves that a
 * mistake does not compile (and fails the build if it ever does).
 */
import express from 'express';
import fastify from 'fastify';
import { keywardExpress } from '../../adapters/express/index.js';
import { keywardFastify, keywardRoutes } from '../../adapters/fastify/index.js';
import { memoryAdapter } from '../../adapters/memory/index.js';
import type { Decision, VerifyResult } from '../../src/index.js';
import { createKeyward, definePermissions, defineRoles, isKeywardError } from '../../src/index.js';

const permissions = definePermissions({
  'datasets:read': { scope: 'dataset', access: 'read' },
  'datasets:write': { scope: 'dataset', access: 'write' },
  'service_accounts:manage': { scope: 'workspace', access: 'admin' },
  'api_keys:manage': { scope: 'workspace', access: 'admin' },
});
const roles = defineRoles(permissions, { reader: { grants: ['*:read'] }, admin: { grants: ['*'] } });
const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', permissions, roles });
const resource = { tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' };

// A readonly actor is accepted.
const admin = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] } as const;

export async function catalog(): Promise<void> {
  await kw.verify('t', { action: 'datasets:read', resource });
  // @ts-expect-error a typo in the action
  await kw.verify('t', { action: 'datasets:raed', resource });
  kw.authorize(admin, 'datasets:write', resource);
  // @ts-expect-error a typo in the action
  kw.authorize(admin, 'dataset:write', resource);

  const roleList = ['reader'] as const;
  await kw.serviceAccounts.create(admin, { workspaceId: 'w_1', name: 'ETL', roles: roleList });
  // @ts-expect-error a role outside the catalog
  await kw.serviceAccounts.create(admin, { workspaceId: 'w_1', name: 'ETL', roles: ['raeder'] });
  // @ts-expect-error a role outside the catalog
  await kw.serviceAccounts.update(admin, { id: 'sa_1', roles: ['owner'] });
  const scopes = ['datasets:*', '*:read', 'datasets:read'] as const;
  await kw.keys.issue(admin, { serviceAccountId: 'sa_1', key: { name: 'ci', scopes } });
  // @ts-expect-error a scope matching no permission of the catalog
  await kw.keys.issue(admin, { serviceAccountId: 'sa_1', key: { name: 'ci', scopes: ['datsets:*'] } });
  await kw.serviceAccounts.setDatasetAccess(admin, {
    id: 'sa_1',
    datasetAccess: { mode: 'selected', datasetIds: ['d_1'] as const },
  });
}

// Without a catalog, the default one's names are typed.
const plain = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
export async function defaults(): Promise<void> {
  await plain.verify('t', { action: 'workspace:ingest', resource });
  // @ts-expect-error not a default permission
  await plain.verify('t', { action: 'workspace:ingets', resource });
  // @ts-expect-error not a default role
  await plain.serviceAccounts.create(admin, { workspaceId: 'w_1', name: 'x', roles: ['analist'] });
}

export function decisions(d: Decision): string {
  if (d.allowed) {
    const kind: 'allow' = d.kind;
    const reason: 'allowed' = d.reason;
    return kind + reason;
  }
  // @ts-expect-error a denial is never `allowed`
  const reason: 'allowed' = d.reason;
  return reason;
}

export function results(result: VerifyResult): string {
  if (result.ok) return result.principal.keyId;
  switch (result.code) {
    case 'read_only':
      return result.decision.reason satisfies 'read_only';
    case 'key_not_found':
      // @ts-expect-error no decision for a credential failure
      return result.decision.reason;
    default:
      return result.code;
  }
}

export function errors(error: unknown): number {
  if (isKeywardError(error, 'KEY_LIMIT_REACHED')) return error.details.activeKeys + error.details.limit;
  if (isKeywardError(error, 'EXCEEDS_CREATOR_RIGHTS')) {
    const exceeding: readonly string[] = error.details.exceeding;
    const datasets: readonly string[] = error.details.datasets;
    return exceeding.length + datasets.length;
  }
  if (isKeywardError(error)) {
    switch (error.code) {
      case 'CONFLICT':
        return error.details.actualVersion ?? 0;
      case 'DATASET_OUTSIDE_BINDING':
        return error.details.datasetIds.length;
      default:
        return 0;
    }
  }
  return -1;
}

export function expressRoutes(): void {
  const app = express();
  const { requireApiKey } = keywardExpress(kw);
  app.get(
    '/workspaces/:w/datasets/:d',
    requireApiKey<'/workspaces/:w/datasets/:d'>({
      action: 'datasets:read',
      resource: (req) => {
        const w: string = req.params.w;
        const d: string = req.params.d;
        return { tenantId: 't_1', workspaceId: w, datasetId: d };
      },
    }),
  );
  requireApiKey({
    // @ts-expect-error a typo in the route's action
    action: 'datasets:reed',
    resource: () => resource,
  });
}

export async function fastifyRoutes(): Promise<void> {
  const app = fastify();
  await app.register(keywardFastify, { keyward: kw });
  const route = keywardRoutes(kw);
  type Dataset = { Params: { w: string; d: string } };
  app.get<Dataset>(
    '/workspaces/:w/datasets/:d',
    {
      config: {
        keyward: route<Dataset>({
          action: 'datasets:read',
          resource: (req) => {
            const w: string = req.params.w;
            const d: string = req.params.d;
            return { tenantId: 't_1', workspaceId: w, datasetId: d };
          },
        }),
      },
    },
    async () => ({}),
  );
  route<Dataset>({
    // @ts-expect-error a typo in the route's action
    action: 'datasets:reed',
    resource: () => resource,
  });
  route<Dataset>({
    action: 'datasets:read',
    // @ts-expect-error the route declares no parameter named x
    resource: (req) => ({ tenantId: req.params.x }),
  });
}
