import { describe, expect, it } from 'vitest';
import { auditActionSchema } from '../../../src/entities/audit-event.js';
import {
  ACTIONS_WITHOUT_EVENT,
  EVENT_OF_ACTION,
  eventTypeOf,
} from '../../../src/management/events/event-of-action.js';
import { eventOfAudit } from '../../../src/management/events/event-of-audit.js';
import { buildAuditEvent } from '../../../src/testing/index.js';

describe('audit actions without an event', () => {
  it('are audit actions the event table leaves out', () => {
    for (const action of ACTIONS_WITHOUT_EVENT) {
      expect(auditActionSchema.safeParse(action).success).toBe(true);
      expect(Object.hasOwn(EVENT_OF_ACTION, action)).toBe(false);
      expect(eventTypeOf(action)).toBeNull();
    }
  });

  it('a counted refusal (api_key.refused) gives the host no event, denied or not', () => {
    const refusal = buildAuditEvent({
      action: 'api_key.refused',
      actor: { type: 'key', id: 'key_1', serviceAccountId: 'sa_1' },
      target: { type: 'api_key', id: 'key_1' },
      outcome: 'denied',
      reason: 'read_only',
      after: { count: 2, firstAt: '2026-01-01T00:00:00.000Z', lastAt: '2026-01-01T00:00:01.000Z' },
    });
    const key = { id: 'key_1' } as unknown as Parameters<typeof eventOfAudit>[0]['key'];
    expect(eventOfAudit({ event: refusal, key, account: null })).toBeNull();
    expect(eventOfAudit({ event: { ...refusal, outcome: 'success' }, key, account: null })).toBeNull();
  });
});
