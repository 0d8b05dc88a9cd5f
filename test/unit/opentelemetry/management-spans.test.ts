import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTelemetry } from '../../../adapters/opentelemetry/index.js';
import { isKeywardError } from '../../../src/index.js';
import { admin } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';
import { AsyncContextManager } from './support/async-context-manager.js';
import { otelHarness, recordedTexts, secretOf } from './support/otel-harness.js';
import { verifiedWorld } from './support/verified-world.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncContextManager().enable());
});
afterAll(() => {
  context.disable();
});

describe('the keyward.management span', () => {
  it('wraps a call: named for it, answers what the call answers, no error status', async () => {
    const { kw, account } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    let runs = 0;
    const issued = await hooks.managementCall?.('keys.issue', () => {
      runs++;
      return kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'ci' } });
    });
    expect(runs).toBe(1);
    expect(issued?.key.name).toBe('ci');
    const [span, ...others] = otel.spans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('keyward.management keys.issue');
    expect(span?.kind).toBe(SpanKind.INTERNAL);
    expect(span?.attributes).toEqual({ 'keyward.operation': 'keys.issue' });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.events).toEqual([]);
    // The call answered a token; nothing of it is recorded.
    const token = issued?.token ?? '';
    for (const text of recordedTexts(span as never)) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secretOf(token));
    }
  });

  it('is the active span while the call runs, across awaits, so what it calls nests under it', async () => {
    const { kw, keyId } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const host = otel.tracerProvider.getTracer('host');
    let activeAtStart: string | undefined;
    await host.startActiveSpan('host request', async (request) => {
      await hooks.managementCall?.('keys.revoke', async () => {
        activeAtStart = trace.getActiveSpan()?.spanContext().spanId;
        await kw.keys.get(admin, { keyId });
        await host.startActiveSpan('storage write', async (write) => {
          await kw.keys.revoke(admin, { keyId });
          write.end();
        });
      });
      request.end();
    });
    const spans = otel.spans();
    expect(spans.map((span) => span.name)).toEqual([
      'storage write',
      'keyward.management keys.revoke',
      'host request',
    ]);
    const [write, management, request] = spans;
    expect(activeAtStart).toBe(management?.spanContext().spanId);
    expect(write?.parentSpanContext?.spanId).toBe(management?.spanContext().spanId);
    expect(management?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(write?.spanContext().traceId).toBe(request?.spanContext().traceId);
  });

  it('marks a call that rejected with a KeywardError: status, code, and an exception event without details', async () => {
    const { kw, account } = await verifiedWorld({ maxKeysPerAccount: 1 });
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const call = () => kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'second' } });
    const error = await rejection(hooks.managementCall?.('keys.issue', call) as Promise<unknown>);
    if (!isKeywardError(error, 'KEY_LIMIT_REACHED')) throw new Error(`unexpected ${String(error)}`);
    expect(error.details).toEqual({ activeKeys: 1, limit: 1 }); // the call's own error, unchanged
    const [span] = otel.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'KEY_LIMIT_REACHED' });
    expect(span?.attributes).toEqual({
      'keyward.operation': 'keys.issue',
      'keyward.error_code': 'KEY_LIMIT_REACHED',
      'error.type': 'KEY_LIMIT_REACHED',
    });
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['exception', { 'exception.type': 'KEY_LIMIT_REACHED', 'exception.message': error.message }],
    ]);
  });

  it('records only the name and a code-like code of any other error: no message, no stack', async () => {
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const driverError = Object.assign(new Error('connection lost running SELECT ... WHERE hash = $1'), {
      code: 'ECONNRESET',
    });
    const worded = Object.assign(new TypeError('bad'), { code: 'not a code, a sentence' });
    const thrown = [driverError, worded, 'a thrown string with a secret'];
    for (const value of thrown) {
      const seen = await rejection(
        hooks.managementCall?.('audit.list', () => Promise.reject(value)) as Promise<unknown>,
      );
      expect(seen).toBe(value);
    }
    const spans = otel.spans();
    expect(spans.map((span) => span.attributes['error.type'])).toEqual(['ECONNRESET', 'TypeError', '_OTHER']);
    expect(spans.map((span) => span.events[0]?.attributes)).toEqual([
      { 'exception.type': 'ECONNRESET' },
      { 'exception.type': 'TypeError' },
      { 'exception.type': '_OTHER' },
    ]);
    for (const span of spans) {
      expect(span.attributes).not.toHaveProperty('keyward.error_code');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(recordedTexts(span).join(' ')).not.toMatch(/SELECT|sentence|secret|bad/);
    }
  });

  it('ends the span and rethrows when the call throws before returning a promise', async () => {
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const boom = new RangeError('sync');
    const run = (): Promise<never> => {
      throw boom;
    };
    expect(await rejection(hooks.managementCall?.('serviceAccounts.create', run) as Promise<unknown>)).toBe(
      boom,
    );
    expect(otel.spans().map((span) => [span.name, span.ended, span.attributes['error.type']])).toEqual([
      ['keyward.management serviceAccounts.create', true, 'RangeError'],
    ]);
  });
});
