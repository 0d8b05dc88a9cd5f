import type { ServiceAccount } from '../entities/service-account.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { GrantShape } from '../policy/index.js';
import type { ActingPrincipal } from './actor.js';
import type { ManagementContext } from './management-context.js';

/**
 * Refuses roles that are unknown or not assignable to service accounts. Whether the actor may
 * give them is {@link assertGives}'s question, asked on the record read in the transaction.
 *
 * @internal
 */
export function assertAssignableRoles(ctx: ManagementContext, roles: readonly string[]): void {
  const unknown = ctx.policy.unknownRoles(roles);
  if (unknown.length > 0) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Unknown roles', {
      issues: unknown.map((role) => ({ code: 'custom', path: ['roles'], message: `Unknown role: ${role}` })),
    });
  }
  const notAssignable = ctx.policy.nonAssignableRoles(roles);
  if (notAssignable.length > 0) {
    throw new KeywardError(
      ERROR_CODES.ROLE_NOT_ASSIGNABLE,
      `Roles not assignable to service accounts: ${notAssignable.join(', ')}`,
      {
        details: { roles: notAssignable },
      },
    );
  }
}

/** Refuses scopes that are unknown permissions or misplaced wildcards (issues at `path`). @internal */
export function assertValidScopes(
  ctx: ManagementContext,
  scopes: readonly string[] | undefined,
  path: readonly PropertyKey[] = ['key', 'scopes'],
): void {
  if (scopes === undefined) return;
  const unknown = ctx.policy.unknownPatterns(scopes);
  if (unknown.length > 0) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Unknown scopes', {
      issues: unknown.map((scope) => ({
        code: 'custom',
        path,
        message: `Unknown permission: ${scope}`,
      })),
    });
  }
}

/** The parts of an account, and optionally of one of its keys, that give rights. @internal */
export function grantShapeOf(
  account: Pick<ServiceAccount, 'roles' | 'readOnly' | 'datasetAccess'>,
  scopes?: readonly string[] | null | undefined,
): GrantShape {
  return { roles: account.roles, readOnly: account.readOnly, datasetAccess: account.datasetAccess, scopes };
}

/**
 * The right to give: refuses a change from `before` to `after` (roles, key scopes, read-only,
 * dataset access) that gives anything the acting principal does not hold itself, naming the
 * difference. `before: null` gives everything `after` holds: a new account, or a secret handed
 * out by issue or regenerate (whoever receives a secret holds the key's rights). Narrowing, and
 * edits that give nothing (a rename), pass whatever the account already holds.
 *
 * @internal
 */
export function assertGives(
  ctx: ManagementContext,
  acting: ActingPrincipal,
  before: GrantShape | null,
  after: GrantShape,
): void {
  const excess = ctx.policy.exceedingGrant(acting.principal, { before, after });
  if (excess.permissions.length === 0 && excess.datasets.length === 0) return;
  const named = [
    ...excess.permissions,
    ...excess.datasets.map((id) => (id === '*' ? 'every dataset of the workspace' : `dataset ${id}`)),
  ];
  throw new KeywardError(
    ERROR_CODES.EXCEEDS_CREATOR_RIGHTS,
    `Exceeds the actor's own rights: ${named.join(', ')}`,
    { details: { exceeding: excess.permissions, datasets: excess.datasets } },
  );
}

/** Refuses datasets outside the account's workspace, when the host told keyward how to know. @internal */
export async function assertDatasetsInBinding(
  ctx: ManagementContext,
  binding: Pick<ServiceAccount, 'tenantId' | 'workspaceId'>,
  datasetIds: readonly string[],
): Promise<void> {
  if (ctx.datasetsInWorkspace === undefined || datasetIds.length === 0) return;
  const inBinding = await ctx.datasetsInWorkspace({
    tenantId: binding.tenantId,
    workspaceId: binding.workspaceId,
    datasetIds,
  });
  const outside = ctx.policy.datasetsOutsideBinding(datasetIds, inBinding);
  if (outside.length > 0) {
    throw new KeywardError(
      ERROR_CODES.DATASET_OUTSIDE_BINDING,
      `Datasets outside workspace ${binding.workspaceId}: ${outside.join(', ')}`,
      {
        details: { datasetIds: outside },
      },
    );
  }
}
