import type { Page } from '../../entities/pagination.js';
import type { ReassignKeysInput } from '../../entities/reassign-keys-inputs.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import type {
  ChangeDatasetsInput,
  CreateServiceAccountInput,
  ListServiceAccountsInput,
  ServiceAccountRefInput,
  SetDatasetAccessInput,
  UpdateServiceAccountInput,
} from '../../entities/service-account-inputs.js';
import type { GrantPattern } from '../../policy/grant-pattern.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import type { ManagementContext } from '../management-context.js';
import { type ReassignedKeys, reassignKeys } from './reassign-keys.js';
import {
  type CatalogInput,
  type ServiceAccountCatalog,
  serviceAccountCatalog,
} from './service-account-catalog.js';
import {
  grantDatasets,
  revokeDatasets,
  setDatasetAccess,
  updateServiceAccount,
} from './service-account-changes.js';
import { type CreatedServiceAccount, createServiceAccount } from './service-account-create.js';
import { deleteServiceAccount } from './service-account-delete.js';
import { getServiceAccount, listServiceAccounts } from './service-account-reads.js';
import { setAccountStatus } from './service-account-status.js';

/**
 * Service account management; `R` and `A` are the catalog's role and permission names. Every call takes the acting {@link Actor} first, is authorized
 * by the policy (`service_accounts:manage` for changes, `service_accounts:read` for reads),
 * stays inside the actor's tenant (other tenants' accounts are `NOT_FOUND`), and writes its
 * change and audit event in one transaction. Invalid input throws `INVALID_INPUT` with every
 * zod issue.
 *
 * @example
 * ```ts
 * const { account } = await kw.serviceAccounts.create(admin, { workspaceId: 'w_1', name: 'ETL', roles: ['viewer'] });
 * await kw.serviceAccounts.update(admin, { id: account.id, readOnly: true }, { request: { ip } });
 * ```
 */
export class ServiceAccountsApi<R extends string = string, A extends string = string> {
  readonly #ctx: ManagementContext;

  /** @internal */
  constructor(ctx: ManagementContext) {
    this.#ctx = ctx;
  }

  /** Creates an account bound to a workspace of the actor's tenant, optionally issuing its first key. */
  create(
    actor: Actor,
    input: CreateServiceAccountInput<R, GrantPattern<A>>,
    meta?: CallMeta,
  ): Promise<CreatedServiceAccount> {
    return createServiceAccount(this.#ctx, actor, input, meta);
  }

  /** Reads one account. */
  get(actor: Actor, input: Pick<ServiceAccountRefInput, 'id'>): Promise<ServiceAccount> {
    return getServiceAccount(this.#ctx, actor, input);
  }

  /** Lists accounts by workspace and status, `(createdAt, id)` ascending, with a cursor. */
  list(actor: Actor, input?: ListServiceAccountsInput): Promise<Page<ServiceAccount>> {
    return listServiceAccounts(this.#ctx, actor, input);
  }

  /**
   * What a "create service account" form may propose: the roles assignable to service accounts
   * (never `owner`) and the permissions the actor holds (in `workspaceId`, when given: that needs
   * `service_accounts:read` there).
   */
  catalog(actor: Actor, input?: CatalogInput): Promise<ServiceAccountCatalog> {
    return serviceAccountCatalog(this.#ctx, actor, input);
  }

  /** Edits name, description, contact email, roles, read-only flag or metadata; applies to every key at once. */
  update(actor: Actor, input: UpdateServiceAccountInput<R>, meta?: CallMeta): Promise<ServiceAccount> {
    return updateServiceAccount(this.#ctx, actor, input, meta);
  }

  /** Replaces dataset access: `{ mode: 'all' }` or `{ mode: 'selected', datasetIds }`. */
  setDatasetAccess(actor: Actor, input: SetDatasetAccessInput, meta?: CallMeta): Promise<ServiceAccount> {
    return setDatasetAccess(this.#ctx, actor, input, meta);
  }

  /** Adds datasets to a dataset-scoped (`selected`) account. */
  grantDatasets(actor: Actor, input: ChangeDatasetsInput, meta?: CallMeta): Promise<ServiceAccount> {
    return grantDatasets(this.#ctx, actor, input, meta);
  }

  /** Removes datasets from a dataset-scoped account (at least one must stay). */
  revokeDatasets(actor: Actor, input: ChangeDatasetsInput, meta?: CallMeta): Promise<ServiceAccount> {
    return revokeDatasets(this.#ctx, actor, input, meta);
  }

  /** Disables the account: all its keys stop working at once. */
  disable(actor: Actor, input: ServiceAccountRefInput, meta?: CallMeta): Promise<ServiceAccount> {
    return setAccountStatus(this.#ctx, actor, input, 'disabled', meta);
  }

  /** Enables a disabled account: its unexpired, unrevoked keys work again. */
  enable(actor: Actor, input: ServiceAccountRefInput, meta?: CallMeta): Promise<ServiceAccount> {
    return setAccountStatus(this.#ctx, actor, input, 'active', meta);
  }

  /**
   * Makes another person of the tenant the creator (`createdBy`) of every key of the account, so
   * that a departing admin does not strand an integration under `liveCreatorBoundary`. One
   * transaction, one `api_key.reassign` audit event per key moved (event `key.updated`); revoked
   * keys stay as they are, and so does `regeneratedBy`. The new creator must be known to
   * `resolveActor` (else `INVALID_INPUT`), hold `api_keys:manage` in the account's workspace and
   * every key's rights (else `EXCEEDS_CREATOR_RIGHTS`, naming them); the actor needs
   * `service_accounts:manage` and the keys' rights too.
   *
   * @example
   * ```ts
   * const { keys } = await kw.serviceAccounts.reassignKeys(admin, { id: account.id, to: { type: 'user', id: 'u_successor' } });
   * ```
   */
  reassignKeys(actor: Actor, input: ReassignKeysInput, meta?: CallMeta): Promise<ReassignedKeys> {
    return reassignKeys(this.#ctx, actor, input, meta);
  }

  /** Deletes the account and, irreversibly, its keys. Returns the deleted account. The audit trail stays. */
  delete(actor: Actor, input: ServiceAccountRefInput, meta?: CallMeta): Promise<ServiceAccount> {
    return deleteServiceAccount(this.#ctx, actor, input, meta);
  }
}
