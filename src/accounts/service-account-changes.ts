import type { DatasetAccess } from '../entities/dataset-grant.js';
import type { ServiceAccount } from '../entities/service-account.js';
import {
  type ChangeDatasetsInput,
  changeDatasetsInputSchema,
  type SetDatasetAccessInput,
  setDatasetAccessInputSchema,
  type UpdateServiceAccountInput,
  updateServiceAccountInputSchema,
} from '../entities/service-account-inputs.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import { mutateAccount } from './account-mutation.js';
import type { ActingPrincipal, Actor } from './acting-principal.js';
import type { CallMeta, LifecycleContext } from './lifecycle-context.js';
import { assertAssignableRoles, assertDatasetsInBinding, assertGives, grantShapeOf } from './write-rules.js';

/** Edits name, description, contact email, roles, read-only flag or metadata. @internal */
export async function updateServiceAccount(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: UpdateServiceAccountInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  const input = parseInput(updateServiceAccountInputSchema, rawInput, 'service account update');
  if (input.roles !== undefined) assertAssignableRoles(ctx, input.roles);
  return mutateAccount(
    ctx,
    actor,
    {
      ...input,
      action: 'service_account.update',
      apply: (account, acting) =>
        givenBy(ctx, acting, account, {
          ...account,
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.contactEmail !== undefined ? { contactEmail: input.contactEmail } : {}),
          ...(input.roles !== undefined ? { roles: input.roles } : {}),
          ...(input.readOnly !== undefined ? { readOnly: input.readOnly } : {}),
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        }),
    },
    meta,
  );
}

/** Replaces an account's dataset access (`all`, or a `selected` list). @internal */
export async function setDatasetAccess(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: SetDatasetAccessInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  const input = parseInput(setDatasetAccessInputSchema, rawInput, 'dataset access');
  const access = input.datasetAccess;
  return mutateAccount(
    ctx,
    actor,
    {
      ...input,
      action: 'service_account.datasets.set',
      prepare: (account) =>
        access.mode === 'selected' ? assertDatasetsInBinding(ctx, account, access.datasetIds) : done,
      apply: (account, acting) => givenBy(ctx, acting, account, { ...account, datasetAccess: access }),
    },
    meta,
  );
}

/**
 * Adds datasets to a `selected` account. An account with access to `all` datasets already
 * reaches them: granting to it is refused as `INVALID_STATE` rather than silently narrowing it.
 *
 * @internal
 */
export async function grantDatasets(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ChangeDatasetsInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  const input = parseInput(changeDatasetsInputSchema, rawInput, 'dataset grant');
  return mutateAccount(
    ctx,
    actor,
    {
      ...input,
      action: 'service_account.datasets.grant',
      prepare: (account) => assertDatasetsInBinding(ctx, account, input.datasetIds),
      apply: (account, acting) => {
        const current = selectedDatasets(account.datasetAccess);
        const datasetIds = [...new Set([...current, ...input.datasetIds])];
        return givenBy(ctx, acting, account, { ...account, datasetAccess: { mode: 'selected', datasetIds } });
      },
    },
    meta,
  );
}

/**
 * Removes datasets from a `selected` account. Removing the last one is refused: an account
 * with no dataset would be a silent dead end; disable it or set its access instead.
 *
 * @internal
 */
export async function revokeDatasets(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ChangeDatasetsInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  const input = parseInput(changeDatasetsInputSchema, rawInput, 'dataset revocation');
  return mutateAccount(
    ctx,
    actor,
    {
      ...input,
      action: 'service_account.datasets.revoke',
      apply: (account) => {
        const removed = new Set(input.datasetIds);
        const datasetIds = selectedDatasets(account.datasetAccess).filter((id) => !removed.has(id));
        if (datasetIds.length === 0) {
          throw new KeywardError(
            ERROR_CODES.INVALID_STATE,
            'An account with selected datasets must keep at least one',
            {
              details: { id: account.id },
            },
          );
        }
        return { ...account, datasetAccess: { mode: 'selected', datasetIds } };
      },
    },
    meta,
  );
}

const done: Promise<void> = Promise.resolve();

/** `next`, once the actor is known to hold whatever it gives beyond `account` (read under lock). */
function givenBy(
  ctx: LifecycleContext,
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
