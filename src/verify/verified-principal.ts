import type { ActorRef } from '../entities/actor.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';

/**
 * Who a verified request comes from: a key, with its account's rights as they were when the
 * request was verified. Plain, deeply frozen, JSON-serialisable data: log it, send it, keep it.
 *
 * It is also a credential inside this keyward instance: pass it back to `kw.authorize` or as
 * the actor of a management call, and it acts within the key's rights as verified. A look-alike
 * object built elsewhere is not a principal (management calls refuse it as `INVALID_INPUT`).
 *
 * @example
 * ```ts
 * const result = await kw.verify(token, { action: 'datasets:read', resource });
 * if (result.ok) {
 *   log.info({ principal: result.principal }, 'verified'); // plain data
 *   kw.authorize(result.principal, 'datasets:write', resource).allowed;
 * }
 * ```
 */
export interface VerifiedPrincipal {
  /** Discriminant. */
  readonly type: 'key';
  /** The key id (public). */
  readonly keyId: string;
  /** The service account that owns the key. */
  readonly serviceAccountId: string;
  /** The account's tenant. */
  readonly tenantId: string;
  /** The account's workspace binding. */
  readonly workspaceId: string;
  /** The key's environment. */
  readonly environment: 'live' | 'test';
  /** The key's name. */
  readonly name: string;
  /** The account's name. */
  readonly serviceAccountName: string;
  /** The account's roles. */
  readonly roles: readonly string[];
  /** The key's own scopes, or `null` for the account's full roles. */
  readonly scopes: readonly string[] | null;
  /** Read-only account: only `read` actions. */
  readonly readOnly: boolean;
  /** The account's dataset access. */
  readonly datasetAccess:
    | { readonly mode: 'all' }
    | { readonly mode: 'selected'; readonly datasetIds: readonly string[] };
  /** Expiry of the key in epoch ms (exclusive), or `null`. */
  readonly expiresAt: number | null;
  /** Who created the key. */
  readonly createdBy: ActorRef;
  /** Who received the current secret through `regenerate`, or `null`. */
  readonly regeneratedBy: ActorRef | null;
}

/**
 * The plain principal of a storage read, deeply frozen; nothing in it is shared with the
 * stored records.
 *
 * @internal
 */
export function verifiedPrincipalOf(found: KeyWithAccount): VerifiedPrincipal {
  const { key, account } = found;
  const access = account.datasetAccess;
  return Object.freeze({
    type: 'key',
    keyId: key.id,
    serviceAccountId: account.id,
    tenantId: account.tenantId,
    workspaceId: account.workspaceId,
    environment: key.environment,
    name: key.name,
    serviceAccountName: account.name,
    roles: Object.freeze([...account.roles]),
    scopes: key.scopes === null ? null : Object.freeze([...key.scopes]),
    readOnly: account.readOnly,
    datasetAccess:
      access.mode === 'all'
        ? Object.freeze({ mode: 'all' })
        : Object.freeze({ mode: 'selected', datasetIds: Object.freeze([...access.datasetIds]) }),
    expiresAt: key.expiresAt === null ? null : key.expiresAt.getTime(),
    createdBy: actorRefCopy(key.createdBy),
    regeneratedBy:
      key.regeneratedBy === null || key.regeneratedBy === undefined ? null : actorRefCopy(key.regeneratedBy),
  });
}

/**
 * Another frozen object with the same data, for a request whose compiled rights differ (a live
 * creator boundary): the nested parts are already frozen and are shared.
 *
 * @internal
 */
export function verifiedPrincipalCopy(principal: VerifiedPrincipal): VerifiedPrincipal {
  return Object.freeze({ ...principal });
}

function actorRefCopy(ref: ActorRef): ActorRef {
  return ref.type === 'user'
    ? Object.freeze({ type: 'user', id: ref.id })
    : Object.freeze({ type: 'key', id: ref.id, serviceAccountId: ref.serviceAccountId });
}
