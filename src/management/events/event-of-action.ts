import type { AuditAction } from '../../entities/audit-event.js';
import type { KeyEventType, KeywardEventType, ServiceAccountEventType } from './keyward-event.js';

/** Which event each audit action gives: key actions give key events, account actions account events. */
type ActionEvents = {
  readonly [A in AuditAction]?: A extends `api_key.${string}` ? KeyEventType : ServiceAccountEventType;
};

/**
 * The one table from audit actions to the host's event types. An action left out emits nothing:
 * adding an audit action (a leak report's, a sweep's) and its event is one line here.
 *
 * @internal
 */
export const EVENT_OF_ACTION = {
  'service_account.create': 'service_account.created',
  'service_account.update': 'service_account.updated',
  'service_account.datasets.set': 'service_account.updated',
  'service_account.datasets.grant': 'service_account.updated',
  'service_account.datasets.revoke': 'service_account.updated',
  'service_account.disable': 'service_account.disabled',
  'service_account.enable': 'service_account.enabled',
  'service_account.delete': 'service_account.deleted',
  'api_key.issue': 'key.created',
  'api_key.regenerate': 'key.regenerated',
  'api_key.revoke': 'key.revoked',
  'api_key.leak': 'key.leaked',
  'api_key.update': 'key.updated',
  'api_key.disable': 'key.disabled',
  'api_key.enable': 'key.enabled',
  'api_key.sweep': 'key.swept',
  'api_key.expiry_notice': 'key.expiring_soon',
  'api_key.expired_notice': 'key.expired',
  'api_key.reassign': 'key.updated',
} as const satisfies ActionEvents;

/**
 * Audit actions that give no event, on purpose (the table leaves them out): `api_key.refused`
 * counts refused verifications of a key (`outcome: 'denied'`), which change nothing.
 *
 * @internal
 */
export const ACTIONS_WITHOUT_EVENT = ['api_key.refused'] as const satisfies readonly AuditAction[];

type Holds<T extends true> = T;

/** Nothing here runs: compiles only while no action of {@link ACTIONS_WITHOUT_EVENT} is in the table. @internal */
export type ActionsWithoutEventCheck = Holds<
  [Extract<(typeof ACTIONS_WITHOUT_EVENT)[number], keyof typeof EVENT_OF_ACTION>] extends [never]
    ? true
    : false
>;

/**
 * The event type an audit action gives, or `null` when it gives none.
 *
 * @internal
 */
export function eventTypeOf(action: AuditAction): KeywardEventType | null {
  const table: ActionEvents = EVENT_OF_ACTION;
  return Object.hasOwn(table, action) ? (table[action] ?? null) : null;
}
