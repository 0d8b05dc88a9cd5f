import type { ServiceAccount } from '../entities/service-account.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { ActingPrincipal } from './acting-principal.js';
import type { LifecycleContext } from './lifecycle-context.js';

/**
 * Refuses roles that are unknown, not assignable to service accounts, or that would give the
 * account rights the acting creator lacks.
 *
 * @internal
 */
export function assertAssignableRoles(
  ctx: LifecycleContext,
  acting: ActingPrincipal,
  roles: readonly string[],
): void {
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
  assertWithinActor(ctx, acting, { roles });
}

/** Refuses scopes that are unknown permissions or misplaced wildcards. @internal */
export function assertValidScopes(ctx: LifecycleContext, scopes: readonly string[] | undefined): void {
  if (scopes === undefined) return;
  const unknown = ctx.policy.unknownPatterns(scopes);
  if (unknown.length > 0) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Unknown scopes', {
      issues: unknown.map((scope) => ({
        code: 'custom',
        path: ['key', 'scopes'],
        message: `Unknown permission: ${scope}`,
      })),
    });
  }
}

/**
 * Refuses a grant (roles, optionally narrowed by key scopes) that gives permissions the acting
 * principal lacks, naming the difference. Whoever receives a key's secret holds its rights, so
 * this applies to issuing and regenerating keys as well as to setting roles.
 *
 * @internal
 */
export function assertWithinActor(
  ctx: LifecycleContext,
  acting: ActingPrincipal,
  requested: { readonly roles: readonly string[]; readonly scopes?: readonly string[] | null | undefined },
): void {
  const exceeding = ctx.policy.exceedingCreator(acting.principal, {
    roles: requested.roles,
    ...(requested.scopes ? { scopes: requested.scopes } : {}),
  });
  if (exceeding.length > 0) {
    throw new KeywardError(
      ERROR_CODES.EXCEEDS_CREATOR_RIGHTS,
      `Exceeds the actor's own rights: ${exceeding.join(', ')}`,
      {
        details: { exceeding },
      },
    );
  }
}

/** Refuses datasets outside the account's workspace, when the host told keyward how to know. @internal */
export async function assertDatasetsInBinding(
  ctx: LifecycleContext,
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

/**
 * The expiry of a new key: the requested one, else `maxKeyTtl` from now when configured, else
 * none. Refuses the past and lifetimes outside `minKeyTtl` / `maxKeyTtl`.
 *
 * @internal
 */
export function resolveExpiry(
  ctx: LifecycleContext,
  now: number,
  requested: { readonly expiresAt?: Date | undefined; readonly expiresInSeconds?: number | undefined },
): Date | null {
  const { minKeyTtl, maxKeyTtl } = ctx.limits;
  let expiresAt: number | null = null;
  if (requested.expiresAt !== undefined) expiresAt = requested.expiresAt.getTime();
  else if (requested.expiresInSeconds !== undefined) expiresAt = now + requested.expiresInSeconds * 1000;
  else if (maxKeyTtl !== undefined) expiresAt = now + maxKeyTtl * 1000;
  if (expiresAt === null) return null;
  const ttlSeconds = (expiresAt - now) / 1000;
  if (ttlSeconds <= 0) throw invalidExpiry('Expiry must be in the future');
  if (minKeyTtl !== undefined && ttlSeconds < minKeyTtl)
    throw invalidExpiry(`Key lifetime must be at least ${minKeyTtl} s`);
  if (maxKeyTtl !== undefined && ttlSeconds > maxKeyTtl)
    throw invalidExpiry(`Key lifetime must be at most ${maxKeyTtl} s`);
  return new Date(expiresAt);
}

function invalidExpiry(message: string): KeywardError {
  return new KeywardError(ERROR_CODES.INVALID_EXPIRY, message, { details: {} });
}
