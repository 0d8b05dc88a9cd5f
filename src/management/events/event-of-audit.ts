import type { AuditedChange } from '../../entities/audited-change.js';
import { eventTypeOf } from './event-of-action.js';
import type { KeyEventType, KeywardEvent, KeywardEventBase, KeywardEventType } from './keyward-event.js';

const KEY_EVENT = /^key\./;

/**
 * The host's event for one committed audit event, or `null` when it gives none: a refused
 * attempt (`outcome: 'denied'`), an action without an event ({@link EVENT_OF_ACTION}), or an
 * audit event without the view the event carries. The event is a frozen copy: what the host does
 * with it never reaches the caller's result or keyward's own records.
 *
 * @internal
 */
export function eventOfAudit(change: AuditedChange): KeywardEvent | null {
  const { event } = change;
  if (event.outcome !== 'success') return null;
  const type = eventTypeOf(event.action);
  if (type === null) return null;
  const base: KeywardEventBase<KeywardEventType> = {
    type,
    id: event.id,
    action: event.action,
    at: event.createdAt,
    actor: event.actor,
    tenantId: event.tenantId,
    workspaceId: event.workspaceId,
    target: event.target,
  };
  const subject = isKeyEvent(type)
    ? change.key && { key: change.key }
    : change.account && { account: change.account };
  if (subject === null) return null;
  // `type` and the subject agree by construction (checked above); TypeScript cannot pair a union
  // of types with a union of subjects.
  return frozenCopy({ ...base, ...subject }) as KeywardEvent;
}

function isKeyEvent(type: KeywardEventType): type is KeyEventType {
  return KEY_EVENT.test(type);
}

/** A deep copy, every object and array in it frozen (Dates are copied, not frozen). */
function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
