import { context, SpanStatusCode, type TracerProvider } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { openTelemetry } from '../../../adapters/opentelemetry/index.js';
import { admin } from '../../support/keyward-fixture.js';
import { AsyncContextManager } from './support/async-context-manager.js';
import { durationMs, otelHarness, recordedTexts, secretOf } from './support/otel-harness.js';
import { tracedStorage } from './support/traced-storage.js';
import { read, verifiedWorld } from './support/verified-world.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncContextManager().enable());
});
afterAll(() => {
  context.disable();
});

const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | undefined) => span?.spanContext().spanId;

describe('openTelemetry() as the instrumentation of createKeyward', () => {
  it('traces a management call with storage nested under it, and a verification under the host span', async () => {
    const otel = otelHarness();
    const host = otel.tracerProvider.getTracer('host');
    const { kw, token, keyId, account } = await verifiedWorld({
      storage: tracedStorage(memoryAdapter(), host),
      instrumentation: openTelemetry(otel),
    });
    // The account's creation is traced too; what follows is looked at on its own.
    const before = otel.spans().length;
    const results = await host.startActiveSpan('host request', async (request) => {
      const allowed = await kw.verify(token, read);
      await kw.keys.revoke(admin, { keyId });
      const refused = await kw.verify(token, read);
      request.end();
      return [allowed, refused];
    });
    expect(results.map((result) => (result.ok ? 'ok' : result.code))).toEqual(['ok', 'key_revoked']);

    const spans = otel.spans().slice(before);
    const named = (name: string) => spans.filter((span) => span.name === name);
    const request = named('host request')[0];
    const [allowed, refused] = named('keyward.verify');
    const [revoke, ...otherRevokes] = named('keyward.management keys.revoke');
    expect(otherRevokes).toEqual([]);

    // The management span is the host request's child; storage spans of the call are its own.
    expect(parentOf(revoke)).toBe(idOf(request));
    const revokeIndex = spans.indexOf(revoke as ReadableSpan);
    const storageOfRevoke = spans.filter(
      (span) => span.name.startsWith('storage ') && parentOf(span) === idOf(revoke),
    );
    expect(storageOfRevoke.length).toBeGreaterThan(0);
    for (const span of storageOfRevoke) {
      expect(spans.indexOf(span)).toBeLessThan(revokeIndex); // ended before the call did
      expect(span.spanContext().traceId).toBe(request?.spanContext().traceId);
    }

    // Verifications: children of the host request, timed, described.
    for (const span of [allowed, refused]) {
      expect(parentOf(span)).toBe(idOf(request));
      expect(durationMs(span as ReadableSpan)).toBeGreaterThan(0);
    }
    expect(allowed?.attributes).toMatchObject({
      'keyward.outcome': 'allowed',
      'keyward.key_id': keyId,
      'keyward.service_account_id': account.id,
      'client.address': '203.0.113.7',
    });
    expect(refused?.attributes).toMatchObject({
      'keyward.outcome': 'denied',
      'keyward.reason': 'key_revoked',
    });
    expect(refused?.status.code).toBe(SpanStatusCode.UNSET);

    const counted = (await otel.metrics()).get('keyward.management.calls');
    expect(counted?.points.map((point) => point.attributes['keyward.operation']).sort()).toEqual([
      'keys.revoke',
      'serviceAccounts.create',
    ]);
  });

  it('records no token or secret anywhere, from issuing the key to verifying it', async () => {
    const otel = otelHarness();
    const { kw, token, keyId } = await verifiedWorld({ instrumentation: openTelemetry(otel) });
    const rotated = await kw.keys.regenerate(admin, { keyId });
    await kw.verify(token, read);
    await kw.verify(rotated.token, read);
    const names = otel.spans().map((span) => span.name);
    expect(names).toEqual([
      'keyward.management serviceAccounts.create',
      'keyward.management keys.regenerate',
      'keyward.verify',
      'keyward.verify',
    ]);
    const secrets = [token, secretOf(token), rotated.token, secretOf(rotated.token)];
    for (const text of otel.spans().flatMap(recordedTexts)) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('leaves every answer as it is when its tracer throws: errors go to onBackgroundError', async () => {
    const broken: TracerProvider = {
      getTracer: () => {
        throw new Error('tracer down');
      },
    };
    const reported: unknown[] = [];
    const plain = await verifiedWorld();
    const hooked = await verifiedWorld({
      instrumentation: openTelemetry({ tracerProvider: broken }),
      onBackgroundError: (error) => reported.push(error),
    });
    const allowed = await hooked.kw.verify(hooked.token, read);
    expect(allowed).toMatchObject({ ok: true, principal: { keyId: hooked.keyId } });
    const expected = await plain.kw.verify(plain.token, read);
    if (!allowed.ok || !expected.ok) throw new Error('expected both to pass');
    // Two worlds built alike: the same answer but for the generated ids.
    const ids = { keyId: '', serviceAccountId: '' };
    expect(allowed.decision).toEqual(expected.decision);
    expect({ ...allowed.principal, ...ids }).toEqual({ ...expected.principal, ...ids });
    await hooked.kw.keys.revoke(admin, { keyId: hooked.keyId }); // runs although its hook threw
    expect(await hooked.kw.verify(hooked.token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    expect(reported.length).toBeGreaterThanOrEqual(3);
    expect(reported.every((error) => error instanceof Error && error.message === 'tracer down')).toBe(true);
  });
});
