import { metrics, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenTelemetryOptions, openTelemetry } from '../../../adapters/opentelemetry/index.js';
import { admin } from '../../support/keyward-fixture.js';
import { otelHarness } from './support/otel-harness.js';
import { read, verifiedWorld } from './support/verified-world.js';

afterEach(() => {
  trace.disable();
  metrics.disable();
});

describe('openTelemetry options', () => {
  it('refuses, when built, a provider that is not one', () => {
    const refused: unknown[] = [
      null,
      'global',
      { tracerProvider: {} },
      { tracerProvider: null },
      { meterProvider: { getTracer: () => undefined } },
      { meterProvider: 42 },
    ];
    for (const options of refused) {
      expect(() => openTelemetry(options as OpenTelemetryOptions)).toThrow(TypeError);
    }
  });

  it('uses the global providers by default, as registered by the first call, not when built', async () => {
    const { kw, token, keyId } = await verifiedWorld();
    const hooks = openTelemetry();
    const otel = otelHarness();
    trace.setGlobalTracerProvider(otel.tracerProvider);
    metrics.setGlobalMeterProvider(otel.meterProvider);
    hooks.verified?.(await kw.verify(token, read), read, 1);
    await hooks.managementCall?.('keys.get', () => kw.keys.get(admin, { keyId }));
    expect(otel.spans().map((span) => span.name)).toEqual(['keyward.verify', 'keyward.management keys.get']);
    expect([...(await otel.metrics()).keys()].sort()).toEqual([
      'keyward.management.calls',
      'keyward.verifications',
      'keyward.verify.duration',
    ]);
  });

  it('records nothing and changes nothing when no SDK is registered', async () => {
    const { kw, token, keyId } = await verifiedWorld();
    const hooks = openTelemetry();
    expect(() => hooks.verified?.({ ok: false, code: 'malformed_token' }, read, 1)).not.toThrow();
    const key = await hooks.managementCall?.('keys.get', () => kw.keys.get(admin, { keyId }));
    expect(key?.id).toBe(keyId);
    expect((await kw.verify(token, read)).ok).toBe(true);
  });

  it('prefers the providers given to the global ones', async () => {
    const { kw, token } = await verifiedWorld();
    const global = otelHarness();
    const given = otelHarness();
    trace.setGlobalTracerProvider(global.tracerProvider);
    metrics.setGlobalMeterProvider(global.meterProvider);
    const hooks = openTelemetry({ tracerProvider: given.tracerProvider, meterProvider: given.meterProvider });
    hooks.verified?.(await kw.verify(token, read), read, 1);
    expect(given.spans()).toHaveLength(1);
    expect(global.spans()).toEqual([]);
    expect((await given.metrics()).has('keyward.verifications')).toBe(true);
    expect((await global.metrics()).size).toBe(0);
  });
});
