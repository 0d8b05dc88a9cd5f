import type { ApiKey } from '../../entities/api-key.js';
import type { AuditAction } from '../../entities/audit-event.js';
import { keyStatusAt } from '../../entities/key-status.js';
import type { SweepOutcome } from '../../entities/key-sweep-inputs.js';
import type { KeyQuery } from '../../storage/storage-adapter.js';
import { revokedKey } from './key-changes.js';
import { withDisabled } from './key-disabling.js';

/** Why a sweep changed a key: the audit event's `reason`. @internal */
export type SweepReason = 'unused' | 'expired' | 'expiring_soon';

/** The filters of one candidate query (the tenant, workspace, page and `now` are the run's). @internal */
export type SweepFilter = Pick<KeyQuery, 'status' | 'expiresBefore' | 'unusedSince'>;

/**
 * One rule of the stale-key policy: which keys may need it (`filters`, read page by page), and
 * what it does to one key. `apply` is pure and decides on whatever record it is given: the
 * query's (to skip keys that need nothing without a transaction) and then the one locked in the
 * key's own transaction, which alone decides: a key used, regenerated, enabled or revoked since
 * the query, or already handled by a concurrent sweep, comes back unchanged.
 *
 * @internal
 */
export interface SweepRule {
  readonly action: AuditAction;
  readonly reason: SweepReason;
  /** The count a change adds to. */
  readonly counts: 'disabled' | 'revoked' | 'notified';
  /** Whether verification caches must drop the key (its status changed). */
  readonly changesStatus: boolean;
  readonly filters: (now: number) => readonly SweepFilter[];
  /** The new record at `now`, or `key` itself when the rule does nothing to it. */
  readonly apply: (key: ApiKey, now: number) => ApiKey;
}

/**
 * `disableUnusedFor`: an active key whose last use, creation and last change are all older than
 * the window is disabled (`disabledAt`, reversible). A change by anyone (a regeneration, an
 * enable, an edit, a reassignment) moves `updatedAt` and so restarts the window: a key an admin
 * just enabled again is not disabled by the next run.
 *
 * @internal
 */
export function disableUnusedRule(seconds: number): SweepRule {
  return {
    action: 'api_key.sweep',
    reason: 'unused',
    counts: 'disabled',
    changesStatus: true,
    filters: (now) => [{ status: 'active', unusedSince: new Date(now - seconds * 1000) }],
    apply: (key, now) => {
      const cutoff = now - seconds * 1000;
      if (keyStatusAt(key, now) !== 'active') return key;
      const lastActivity = Math.max(
        key.createdAt.getTime(),
        key.updatedAt.getTime(),
        key.lastUsedAt?.getTime() ?? Number.NEGATIVE_INFINITY,
      );
      return lastActivity < cutoff ? withDisabled(key, true, now) : key;
    },
  };
}

/**
 * `revokeExpiredAfter`: a key (disabled or not) whose expiry passed more than `seconds` ago is
 * revoked, its previous secret dropped too.
 *
 * @internal
 */
export function revokeExpiredRule(seconds: number): SweepRule {
  return {
    action: 'api_key.sweep',
    reason: 'expired',
    counts: 'revoked',
    changesStatus: true,
    filters: (now) => {
      const expiresBefore = new Date(now - seconds * 1000);
      return [
        { status: 'expired', expiresBefore },
        { status: 'disabled', expiresBefore },
      ];
    },
    apply: (key, now) => {
      if (key.status === 'revoked' || key.expiresAt === null) return key;
      return key.expiresAt.getTime() < now - seconds * 1000 ? revokedKey(key, now) : key;
    },
  };
}

/**
 * The `key.expired` notice, once per expiry: for an expired key (not disabled, not revoked) whose
 * `expiryNoticeAt` is null or before its `expiresAt`. It sets `expiryNoticeAt` to now, after the
 * expiry: that is the marker that the expired notice was sent (see {@link expiringSoonRule}).
 *
 * @internal
 */
export const expiredNoticeRule: SweepRule = {
  action: 'api_key.expired_notice',
  reason: 'expired',
  counts: 'notified',
  changesStatus: false,
  filters: (now) => [{ status: 'expired', expiresBefore: new Date(now + 1) }],
  apply: (key, now) => {
    if (keyStatusAt(key, now) !== 'expired' || key.expiresAt === null) return key;
    const notice = key.expiryNoticeAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    return notice < key.expiresAt.getTime() ? withNotice(key, now) : key;
  },
};

/**
 * The `key.expiring_soon` notice, once: for an active key expiring within `leadMs` whose
 * `expiryNoticeAt` is null. `expiryNoticeAt` is then set to now, before the expiry; the expired
 * notice later moves it past the expiry. One column thus tells both notices apart, with no
 * migration: null = none sent, before `expiresAt` = expiring soon sent, at or after = expired sent.
 *
 * @internal
 */
export function expiringSoonRule(leadMs: number): SweepRule {
  return {
    action: 'api_key.expiry_notice',
    reason: 'expiring_soon',
    counts: 'notified',
    changesStatus: false,
    filters: (now) => [{ status: 'active', expiresBefore: new Date(now + leadMs) }],
    apply: (key, now) => {
      if (keyStatusAt(key, now) !== 'active' || key.expiresAt === null) return key;
      if (key.expiryNoticeAt !== null || key.expiresAt.getTime() >= now + leadMs) return key;
      return withNotice(key, now);
    },
  };
}

/**
 * The rules of one run, in order: disable unused keys, revoke long-expired ones (a key revoked
 * here gets `key.swept`, not `key.expired`), then the expired and expiring-soon notices.
 *
 * @internal
 */
export function sweepRules(
  options: {
    readonly disableUnusedFor?: number | undefined;
    readonly revokeExpiredAfter?: number | undefined;
    readonly notifyExpiring: boolean;
  },
  expiringSoonLeadMs: number,
): SweepRule[] {
  const rules: SweepRule[] = [];
  if (options.disableUnusedFor !== undefined) rules.push(disableUnusedRule(options.disableUnusedFor));
  if (options.revokeExpiredAfter !== undefined) rules.push(revokeExpiredRule(options.revokeExpiredAfter));
  if (options.notifyExpiring) rules.push(expiredNoticeRule, expiringSoonRule(expiringSoonLeadMs));
  return rules;
}

/** A run's counts before it did anything. @internal */
export function noSweep(): SweepOutcome {
  return { disabled: 0, revoked: 0, notified: 0, scanned: 0, more: false };
}

/**
 * `key` with its notice marker at `now`. `updatedAt` stays: a notice is bookkeeping, like
 * `lastUsedAt`, not a change of the key (it neither restarts the unused window nor invalidates
 * compiled principals).
 */
function withNotice(key: ApiKey, now: number): ApiKey {
  return { ...key, expiryNoticeAt: new Date(now) };
}
