import type { DatasetAccess } from '../../entities/dataset-grant.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import {
  type ChangeDatasetsInput,
  changeDatasetsInputSchema,
  type SetDatasetAccessInput,
  setDatasetAccessInputSchema,
  type UpdateServiceAccountInput,
  updateServiceAccountInputSchema,
} from '../../entities/service-account-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import { assertAccountWithinActor } from '../acting-key-bounds.js';
import type { ActingPrincipal, Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { assertIpAllowlistLimits } from '../ip-allowlist-limits.js';
import type { ManagementContext } from '../management-context.js';
import { assertNotOwnRequestControls, differs } from '../own-request-controls.js';
import { assertAssignableRoles, assertDatasetsInBinding, assertGives, grantShapeOf } from '../write-rules.js';
import { changeAccount } from './account-change.js';

/**
 * Edits name, description, contact email, roles, read-only flag, metadata, IP allowlist or rate
 * limits. A key acting may give the account only an allowlist within its own (see
 * `assertAccountWithinActor`), and may not change its own account's rate limits.
 *
 * @internal
 */
export function updateServiceAccount(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: UpdateServiceAccountInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  return changeAccount(ctx, actor, rawInput, meta, {
    input: updateServiceAccountInputSchema,
    inputName: 'service account update',
    checkInput: (input) => {
      if (input.roles !== undefined) assertAssignableRoles(ctx, input.roles);
      assertIpAllowlistLimits(ctx, input.ipAllowlist, ['ipAllowlist']);
    },
    action: 'service_account.update',
    apply: (account, { input, acting }, actingKey) => {
      const rateLimitsChange =
        input.rateLimits !== undefined && differs(account.rateLimits, input.rateLimits);
      assertNotOwnRequestControls(
        acting,
        { serviceAccountId: account.id },
        rateLimitsChange ? ['rateLimits'] : [],
      );
      if (input.ipAllowlist !== undefined) {
        assertAccountWithinActor(actingKey, input.ipAllowlist);
      }
      return givenBy(ctx, acting, account, {
        ...account,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.contactEmail !== undefined ? { contactEmail: input.contactEmail } : {}),
        ...(input.roles !== undefined ? { roles: input.roles } : {}),
        ...(input.readOnly !== undefined ? { readOnly: input.readOnly } : {}),
        ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        ...(input.ipAllowlist !== undefined ? { ipAllowlist: input.ipAllowlist } : {}),
        ...(input.rateLimits !== undefined ? { rateLimits: input.rateLimits } : {}),
      });
    },
  });
}

/** Replaces an account's dataset access (`all`, or a `selected` list). @internal */
export function setDatasetAccess(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: SetDatasetAccessInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  return changeAccount(ctx, actor, rawInput, meta, {
    input: setDatasetAccessInputSchema,
    inputName: 'dataset access',
    action: 'service_account.datasets.set',
    prepare: async ({ input, subject }) => {
      const access = input.datasetAccess;
      if (access.mode === 'selected') await assertDatasetsInBinding(ctx, subject, access.datasetIds);
    },
    apply: (account, { input, acting }) =>
      givenBy(ctx, acting, account, { ...account, datasetAccess: input.datasetAccess }),
  });
}

/**
 * Adds datasets to a `selected` account. An account with access to `all` datasets already
 * reaches them: granting to it is refused as `INVALID_STATE` rather than silently narrowing it.
 *
 * @internal
 */
export function grantDatasets(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ChangeDatasetsInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  return changeAccount(ctx, actor, rawInput, meta, {
    input: changeDatasetsInputSchema,
    inputName: 'dataset grant',
    action: 'service_account.datasets.grant',
    prepare: ({ input, subject }) => assertDatasetsInBinding(ctx, subject, input.datasetIds),
    apply: (account, { input, acting }) => {
      const current = selectedDatasets(account.datasetAccess);
      const datasetIds = [...new Set([...current, ...input.datasetIds])];
      return givenBy(ctx, acting, account, { ...account, datasetAccess: { mode: 'selected', datasetIds } });
    },
  });
}

/**
 * Removes datasets from a `selected` account. Removing the last one is refused: an account
 * with no dataset would be a silent dead end; disable it or set its access instead.
 *
 * @internal
 */
export function revokeDatasets(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ChangeDatasetsInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  return changeAccount(ctx, actor, rawInput, meta, {
    input: changeDatasetsInputSchema,
    inputName: 'dataset revocation',
    action: 'service_account.datasets.revoke',
    apply: (account, { input }) => {
      const removed = new Set(input.datasetIds);
      const datasetIds = selectedDatasets(account.datasetAccess).filter((id) => !removed.has(id));
      if (datasetIds.length === 0) {
        throw new KeywardError(
          ERROR_CODES.INVALID_STATE,
          'An account with selected datasets must keep at least one',
          { details: { id: account.id } },
        );
      }
      return { ...account, datasetAccess: { mode: 'selected', datasetIds } };
    },
  });
}

/** `next`, once the actor is known to hold whatever it gives beyond `account` (read under lock). */
function givenBy(
  ctx: ManagementContext,
  acting: ActingPrincipal,
  account: ServiceAccount,
  next: ServiceAccount,
): ServiceAccount {
  assertGives(ctx, acting, grantShapeOf(account), grantShapeOf(next));
  return next;
}

function selectedDatasets(access: DatasetAccess): string[] {
  if (access.mode === 'all') {
    throw new KeywardError(
      ERROR_CODES.INVALID_STATE,
      'The account has access to all datasets; set its access to selected first',
    );
  }
  return access.datasetIds;
}
