import type { AuditActor } from '../../entities/actor.js';
import type { ApiKeyInfo } from '../../entities/api-key.js';
import type { AuditAction, AuditEvent } from '../../entities/audit-event.js';
import type { ServiceAccount } from '../../entities/service-account.js';

/** The types of the events about a key, see {@link KeywardEvent}. */
export type KeyEventType =
  | 'key.created'
  | 'key.regenerated'
  | 'key.revoked'
  | 'key.expired'
  | 'key.expiring_soon'
  | 'key.leaked'
  | 'key.swept'
  | 'key.updated'
  | 'key.disabled'
  | 'key.enabled';

/** The types of the events about a service account, see {@link KeywardEvent}. */
export type ServiceAccountEventType =
  | 'service_account.created'
  | 'service_account.updated'
  | 'service_account.disabled'
  | 'service_account.enabled'
  | 'service_account.deleted';

/** The type of a {@link KeywardEvent}: what happened. */
export type KeywardEventType = KeyEventType | ServiceAccountEventType;

/**
 * What every event carries: the audit event it comes from. One audit event gives at most one
 * event, so `id` names it uniquely: use it to deduplicate deliveries.
 */
export interface KeywardEventBase<T extends KeywardEventType> {
  /** What happened. */
  readonly type: T;
  /** The id of the audit event it comes from (`ev_...`); `kw.audit.list` shows that entry. */
  readonly id: string;
  /** The audited action (several actions may share a type, e.g. the dataset grant changes). */
  readonly action: AuditAction;
  /** When the change was made. */
  readonly at: Date;
  /** Who made it: a user, a key (its principal), or keyward itself (`system`, for a leak report). */
  readonly actor: AuditActor;
  readonly tenantId: string;
  readonly workspaceId: string | null;
  /** What the change was made to. */
  readonly target: AuditEvent['target'];
}

/** An event about a key, with the key's public view after the change (never its secret or digest). */
export interface KeyEvent<T extends KeyEventType = KeyEventType> extends KeywardEventBase<T> {
  /** The key as it is after the change. */
  readonly key: ApiKeyInfo;
}

/** An event about a service account, with the account after the change (before it, for a deletion). */
export interface ServiceAccountEvent<T extends ServiceAccountEventType = ServiceAccountEventType>
  extends KeywardEventBase<T> {
  /** The account as it is after the change; as it was, for `service_account.deleted`. */
  readonly account: ServiceAccount;
}

/** A key was issued (`keys.issue`, or `serviceAccounts.create` with a first key). */
export type KeyCreatedEvent = KeyEvent<'key.created'>;
/** A key's secret was regenerated: the key id stays, the old secret stops (or a grace period starts). */
export type KeyRegeneratedEvent = KeyEvent<'key.regenerated'>;
/** A key was revoked. Revoking an already revoked key records nothing and emits nothing. */
export type KeyRevokedEvent = KeyEvent<'key.revoked'>;
/** A key reached its expiry (reported by the expiry sweep). */
export type KeyExpiredEvent = KeyEvent<'key.expired'>;
/** A key expires within `expiringSoonLeadMs` (reported by the expiry sweep). */
export type KeyExpiringSoonEvent = KeyEvent<'key.expiring_soon'>;
/** A key was reported leaked (a leak report, e.g. from a secret scanner). */
export type KeyLeakedEvent = KeyEvent<'key.leaked'>;
/** A key was cleaned up by a sweep. */
export type KeySweptEvent = KeyEvent<'key.swept'>;
/** A key's name, expiry, scopes or metadata changed (`keys.update`; `key` is after, the audit event has both). */
export type KeyUpdatedEvent = KeyEvent<'key.updated'>;
/** A key was disabled: it stops working until it is enabled. Disabling a disabled key emits nothing. */
export type KeyDisabledEvent = KeyEvent<'key.disabled'>;
/** A disabled key was enabled: it works again (unless expired). Enabling an enabled key emits nothing. */
export type KeyEnabledEvent = KeyEvent<'key.enabled'>;

/** A service account was created (a `key.created` follows when it came with a first key). */
export type ServiceAccountCreatedEvent = ServiceAccountEvent<'service_account.created'>;
/** A service account's fields, roles or dataset grants changed (`action` says which call). */
export type ServiceAccountUpdatedEvent = ServiceAccountEvent<'service_account.updated'>;
/** A service account was disabled: all its keys stop working. */
export type ServiceAccountDisabledEvent = ServiceAccountEvent<'service_account.disabled'>;
/** A service account was enabled again: its keys work again. */
export type ServiceAccountEnabledEvent = ServiceAccountEvent<'service_account.enabled'>;
/** A service account was deleted, and its keys with it. No `key.*` event is sent for those keys. */
export type ServiceAccountDeletedEvent = ServiceAccountEvent<'service_account.deleted'>;

/**
 * What keyward tells the host's `onEvent` after a change committed: a key created, regenerated,
 * revoked, expired, expiring soon, leaked, swept, updated, disabled or enabled, or a service account created, updated,
 * disabled, enabled or deleted. Each comes from one audit event of the committed transaction;
 * a rolled-back or refused change emits nothing. Plain, frozen data; switch on `type`.
 *
 * @example
 * ```ts
 * import type { KeywardEvent } from 'keyward';
 *
 * function subjectOf(event: KeywardEvent): string {
 *   switch (event.type) {
 *     case 'key.revoked':
 *       return `key ${event.key.name} (${event.key.start}...) revoked`;
 *     case 'service_account.disabled':
 *       return `service account ${event.account.name} disabled`;
 *     default:
 *       return event.type;
 *   }
 * }
 * ```
 */
export type KeywardEvent =
  | KeyCreatedEvent
  | KeyRegeneratedEvent
  | KeyRevokedEvent
  | KeyExpiredEvent
  | KeyExpiringSoonEvent
  | KeyLeakedEvent
  | KeySweptEvent
  | KeyUpdatedEvent
  | KeyDisabledEvent
  | KeyEnabledEvent
  | ServiceAccountCreatedEvent
  | ServiceAccountUpdatedEvent
  | ServiceAccountDisabledEvent
  | ServiceAccountEnabledEvent
  | ServiceAccountDeletedEvent;
