import { z } from 'zod';
import { parseInput } from '../errors/parse-input.js';
import type { RouteCall } from './management-route.js';
import { workspaceBinding } from './workspace-directory.js';

/** Input of `GET /me`: nothing. @internal */
export const callerProfileInputSchema = z.strictObject({});

/** The limits a page tells people about ("at most 2 keys per account"). */
const limitsSchema = z.strictObject({ maxKeysPerAccount: z.number().int().min(1) });

/**
 * Who the caller of `GET /me` is: a person (`workspaceIds` null when not confined) or an API key
 * (bound to its account's workspace), with the permissions it can use at all (catalog names,
 * sorted) and the key limits in effect. @internal
 */
export const callerProfileSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('user'),
    id: z.string(),
    tenantId: z.string(),
    permissions: z.array(z.string()),
    workspaceIds: z.array(z.string()).nullable(),
    limits: limitsSchema,
  }),
  z.strictObject({
    type: z.literal('api_key'),
    id: z.string(),
    serviceAccountId: z.string(),
    tenantId: z.string(),
    permissions: z.array(z.string()),
    workspaceIds: z.array(z.string()),
    limits: limitsSchema,
  }),
]);

/** The answer of `GET /me`. @internal */
export type CallerProfile = z.output<typeof callerProfileSchema>;

/**
 * `GET /me`: who the caller is, for a page to show only what it may do. The permissions are the
 * catalog's that the actor can use at all (`kw.serviceAccounts.catalog` without a workspace,
 * which also validates the actor); it needs no permission.
 *
 * @internal
 */
export async function callerProfile(call: RouteCall): Promise<CallerProfile> {
  parseInput(callerProfileInputSchema, call.input, 'caller input');
  const { kw, actor } = call;
  const catalog = await kw.serviceAccounts.catalog(actor, {});
  const permissions = catalog.permissions.map((permission) => permission.name);
  const limits = { maxKeysPerAccount: kw.limits.maxKeysPerAccount };
  const workspaces = workspaceBinding(actor);
  if (actor.type === 'key') {
    const { keyId, serviceAccountId, tenantId } = actor;
    return {
      type: 'api_key',
      id: keyId,
      serviceAccountId,
      tenantId,
      permissions,
      workspaceIds: [...(workspaces ?? [])],
      limits,
    };
  }
  const workspaceIds = workspaces === null ? null : [...workspaces];
  return { type: 'user', id: actor.id, tenantId: actor.tenantId, permissions, workspaceIds, limits };
}
