import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import {
  type AuditAction,
  ERROR_CODES,
  type KeywardEvent,
  type KeywardEventType,
  type UserActor,
} from '../../../src/index.js';
import { EVENT_OF_ACTION } from '../../../src/management/events/event-of-action.js';
import { eventOfAudit } from '../../../src/management/events/event-of-audit.js';
import { buildAuditEvent } from '../../../src/testing/index.js';
import { admin, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

function recorded() {
  const storage = memoryAdapter();
  const events: KeywardEvent[] = [];
  const { kw, clock } = setup({ storage, onEvent: (event) => void events.push(event) });
  return { kw, clock, storage, events, types: () => events.map((event) => event.type) };
}

describe('events of key changes', () => {
  it('issue, regenerate and revoke each emit one event with the audit facts and the key view', async () => {
    const { kw, events, types } = recorded();
    const { account } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['analyst'],
    });
    const issued = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'ci' } });
    const rotated = await kw.keys.regenerate(admin, { keyId: issued.key.id, gracePeriodSeconds: 60 });
    const revoked = await kw.keys.revoke(admin, { keyId: issued.key.id });
    expect(types()).toEqual(['service_account.created', 'key.created', 'key.regenerated', 'key.revoked']);

    const trail = (await kw.audit.list(admin)).items.slice().reverse();
    events.forEach((event, i) => {
      const audit = trail[i];
      expect(event).toMatchObject({
        id: audit?.id,
        action: audit?.action,
        at: audit?.createdAt,
        actor: audit?.actor,
        tenantId: TENANT,
        workspaceId: 'w_sales',
        target: audit?.target,
      });
    });
    expect(events[1]).toMatchObject({ type: 'key.created', key: issued.key });
    expect(events[2]).toMatchObject({ type: 'key.regenerated', key: rotated.key });
    expect(events[2]).toMatchObject({ key: { previousSecretActive: true } });
    expect(events[3]).toMatchObject({ type: 'key.revoked', key: revoked });
    expect(revoked.status).toBe('revoked');
  });

  it('never carries a secret, a token or a digest', async () => {
    const { kw, events, storage } = recorded();
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['analyst'],
      firstKey: { name: 'k' },
    });
    const keyId = key?.key.id as string;
    const first = await storage.findKey({ tenantId: TENANT, keyId });
    const rotated = await kw.keys.regenerate(admin, { keyId, gracePeriodSeconds: 60 });
    const second = await storage.findKey({ tenantId: TENANT, keyId });
    await kw.keys.revoke(admin, { keyId });

    const json = JSON.stringify(events);
    for (const token of [key?.token as string, rotated.token]) {
      expect(json).not.toContain(token);
      expect(json).not.toContain(token.slice(`acme_${keyId}_`.length));
    }
    for (const digest of [first?.hash, second?.hash, second?.previousHash]) {
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect(json).not.toContain(digest);
    }
    expect(json).not.toMatch(/"(hash|hashVersion|pepperId|previousHash)"/);
  });

  it('revoking a revoked key records nothing and emits nothing', async () => {
    const { kw, types } = recorded();
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    await kw.keys.revoke(admin, { keyId: key?.key.id as string });
    await kw.keys.revoke(admin, { keyId: key?.key.id as string });
    expect(types()).toEqual(['service_account.created', 'key.created', 'key.revoked']);
  });

  it('a refused call emits nothing, though its refusal is audited', async () => {
    const { kw, types } = recorded();
    const { account } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['viewer'],
    });
    const reader: UserActor = {
      type: 'user',
      id: 'u_r',
      tenantId: TENANT,
      permissions: ['service_accounts:read'],
    };
    const error = await rejection(
      kw.keys.issue(reader, { serviceAccountId: account.id, key: { name: 'k' } }),
    );
    expect(error.code).toBe(ERROR_CODES.FORBIDDEN);
    const error2 = await rejection(kw.serviceAccounts.disable(reader, { id: account.id }));
    expect(error2.code).toBe(ERROR_CODES.FORBIDDEN);
    expect((await kw.audit.list(admin)).items.map((event) => event.outcome)).toEqual([
      'denied',
      'denied',
      'success',
    ]);
    expect(types()).toEqual(['service_account.created']);
  });

  it('events are frozen copies: neither the host nor the caller can change the other', async () => {
    const { kw, events } = recorded();
    const { account } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['viewer'],
    });
    const event = events[0] as KeywardEvent & { account: { roles: string[] } };
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.account.roles)).toBe(true);
    expect(() => event.account.roles.push('admin')).toThrow(TypeError);
    account.roles.push('analyst');
    expect(event.account.roles).toEqual(['viewer']);
  });
});

describe('events of service account changes', () => {
  it('create, update, dataset changes, disable, enable and delete each emit their event', async () => {
    const { kw, events, types } = recorded();
    const { account } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['viewer'],
      datasetAccess: { mode: 'selected', datasetIds: ['d_1'] },
    });
    await kw.serviceAccounts.update(admin, { id: account.id, name: 'renamed' });
    await kw.serviceAccounts.grantDatasets(admin, { id: account.id, datasetIds: ['d_2'] });
    await kw.serviceAccounts.revokeDatasets(admin, { id: account.id, datasetIds: ['d_1'] });
    await kw.serviceAccounts.setDatasetAccess(admin, { id: account.id, datasetAccess: { mode: 'all' } });
    await kw.serviceAccounts.disable(admin, { id: account.id });
    await kw.serviceAccounts.enable(admin, { id: account.id });
    const deleted = await kw.serviceAccounts.delete(admin, { id: account.id });
    expect(types()).toEqual([
      'service_account.created',
      'service_account.updated',
      'service_account.updated',
      'service_account.updated',
      'service_account.updated',
      'service_account.disabled',
      'service_account.enabled',
      'service_account.deleted',
    ]);
    expect(events.map((event) => event.action).slice(1, 5)).toEqual([
      'service_account.update',
      'service_account.datasets.grant',
      'service_account.datasets.revoke',
      'service_account.datasets.set',
    ]);
    expect(events[1]).toMatchObject({ account: { name: 'renamed', version: 2 } });
    expect(events[5]).toMatchObject({ account: { status: 'disabled' } });
    expect(events[7]).toMatchObject({ type: 'service_account.deleted', account: deleted });
  });
});

describe('the action table', () => {
  it('maps key actions to key events and account actions to account events', () => {
    const table: Partial<Record<AuditAction, KeywardEventType>> = EVENT_OF_ACTION;
    for (const [action, type] of Object.entries(table)) {
      expect(type.startsWith('key.')).toBe(action.startsWith('api_key.'));
    }
    expect(EVENT_OF_ACTION).toMatchObject({
      'api_key.issue': 'key.created',
      'api_key.regenerate': 'key.regenerated',
      'api_key.revoke': 'key.revoked',
    });
  });

  it('an action the table leaves out, or a refused attempt, gives no event', () => {
    const at = new Date(Date.UTC(2026, 0, 1));
    const account = {
      id: 'sa_1',
      name: 'svc',
    } as unknown as Parameters<typeof eventOfAudit>[0]['account'];
    const unmapped = buildAuditEvent({ action: 'api_key.unmapped' as AuditAction, createdAt: at });
    expect(eventOfAudit({ event: unmapped, key: null, account })).toBeNull();
    const denied = buildAuditEvent({ action: 'service_account.disable', outcome: 'denied', createdAt: at });
    expect(eventOfAudit({ event: denied, key: null, account })).toBeNull();
    const granted = buildAuditEvent({ action: 'service_account.disable', createdAt: at });
    expect(eventOfAudit({ event: granted, key: null, account })).toMatchObject({
      type: 'service_account.disabled',
      account,
    });
  });
});
