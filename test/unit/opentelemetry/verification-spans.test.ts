import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { openTelemetry } from '../../../adapters/opentelemetry/index.js';
import type { VerifyRequest } from '../../../src/index.js';
import { admin, dataset } from '../../support/keyward-fixture.js';
import { durationMs, epochMs, otelHarness, recordedTexts, secretOf } from './support/otel-harness.js';
import { read, storageUnavailableResult, verifiedWorld } from './support/verified-world.js';

describe('the keyward.verify span', () => {
  it('describes an allowed verification: outcome, action, key, tenant, account and client address', async () => {
    const { kw, token, keyId, account } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const result = await kw.verify(token, read);
    expect(result.ok).toBe(true);
    hooks.verified?.(result, read, 3.5);
    const [span, ...others] = otel.spans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('keyward.verify');
    expect(span?.kind).toBe(SpanKind.INTERNAL);
    expect(span?.attributes).toEqual({
      'keyward.outcome': 'allowed',
      'keyward.action': 'datasets:read',
      'keyward.key_id': keyId,
      'keyward.tenant_id': 't_acme',
      'keyward.service_account_id': account.id,
      'client.address': '203.0.113.7',
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.instrumentationScope.name).toBe('keyward');
    expect(span?.ended).toBe(true);
  });

  it('starts durationMs before the hook was called and ends when it was called', async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const result = await kw.verify(token, read);
    const before = performance.timeOrigin + performance.now();
    hooks.verified?.(result, read, 12.25);
    const after = performance.timeOrigin + performance.now();
    const [span] = otel.spans();
    if (span === undefined) throw new Error('no span');
    expect(durationMs(span)).toBeCloseTo(12.25, 2);
    const end = epochMs(span.endTime);
    expect(end).toBeGreaterThanOrEqual(before - 0.01);
    expect(end).toBeLessThanOrEqual(after + 0.01);
    expect(epochMs(span.startTime)).toBeCloseTo(end - 12.25, 2);
  });

  it('treats a negative or non-finite duration as zero rather than a span that ends before it starts', async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const result = await kw.verify(token, read);
    hooks.verified?.(result, read, -5);
    hooks.verified?.(result, read, Number.NaN);
    expect(otel.spans().map(durationMs)).toEqual([0, 0]);
  });

  it('describes a policy denial by its reason; a refusal is not an error, and names only what the result holds', async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const write: VerifyRequest = { action: 'datasets:write', resource: dataset('d_1') };
    const result = await kw.verify(token, write);
    expect(result).toMatchObject({ ok: false, code: 'not_granted' });
    hooks.verified?.(result, write, 1);
    const [span] = otel.spans();
    expect(span?.attributes).toEqual({
      'keyward.outcome': 'denied',
      'keyward.reason': 'not_granted',
      'keyward.action': 'datasets:write',
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('describes credential failures by their code, without an error status', async () => {
    const { kw, token, keyId } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const stranger = (await verifiedWorld()).token; // another instance's key: unknown here
    await kw.keys.regenerate(admin, { keyId });
    const results = [
      await kw.verify('acme_not_a_token', read),
      await kw.verify(stranger, read),
      await kw.verify(token, read), // the secret before regenerate
    ];
    expect(results.map((result) => (result.ok ? 'ok' : result.code))).toEqual([
      'malformed_token',
      'key_not_found',
      'invalid_secret',
    ]);
    for (const result of results) hooks.verified?.(result, read, 1);
    const spans = otel.spans();
    expect(spans.map((span) => span.attributes['keyward.reason'])).toEqual([
      'malformed_token',
      'key_not_found',
      'invalid_secret',
    ]);
    for (const span of spans) {
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['keyward.key_id']).toBeUndefined();
      expect(span.attributes['client.address']).toBe('203.0.113.7');
    }
  });

  it('marks evaluation_error and storage_unavailable as errors: faults, not answers', async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const throwing: VerifyRequest = {
      action: 'datasets:read',
      resource: () => {
        throw new Error('lookup failed');
      },
    };
    const evaluation = await kw.verify(token, throwing);
    const storage = await storageUnavailableResult(read);
    expect(evaluation).toEqual({ ok: false, code: 'evaluation_error' });
    expect(storage.result).toEqual({ ok: false, code: 'storage_unavailable' });
    hooks.verified?.(evaluation, throwing, 1);
    hooks.verified?.(storage.result, read, 1);
    const spans = otel.spans();
    expect(spans.map((span) => span.status)).toEqual([
      { code: SpanStatusCode.ERROR, message: 'evaluation_error' },
      { code: SpanStatusCode.ERROR, message: 'storage_unavailable' },
    ]);
    expect(spans.map((span) => span.attributes['keyward.outcome'])).toEqual(['denied', 'denied']);
  });

  it('leaves client.address out when the request has no ip', async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const request: VerifyRequest = { action: 'datasets:read', resource: dataset('d_1') };
    hooks.verified?.(await kw.verify(token, request), request, 1);
    expect(otel.spans()[0]?.attributes).not.toHaveProperty('client.address');
  });

  it('never records the token or its secret, whatever the outcome', async () => {
    const { kw, token, keyId } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const requests: VerifyRequest[] = [
      read,
      { action: 'datasets:write', resource: dataset('d_1') },
      { action: 'datasets:read', resource: dataset('d_1', 'w_ops') },
      { action: 'datasets:read', resource: () => null },
    ];
    for (const request of requests) hooks.verified?.(await kw.verify(token, request), request, 1);
    const tampered = `${token.slice(0, -8)}AAAAAAAA`;
    hooks.verified?.(await kw.verify(tampered, read), read, 1);
    await kw.keys.revoke(admin, { keyId });
    hooks.verified?.(await kw.verify(token, read), read, 1);
    const storage = await storageUnavailableResult(read);
    hooks.verified?.(storage.result, read, 1);
    const spans = otel.spans();
    expect(spans).toHaveLength(7);
    const secrets = [
      token,
      secretOf(token),
      tampered,
      secretOf(tampered),
      storage.token,
      secretOf(storage.token),
    ];
    for (const text of spans.flatMap(recordedTexts)) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    // The key id is public: it is recorded, and it is part of the token, so the check above is not vacuous.
    expect(spans[0]?.attributes['keyward.key_id']).toBe(keyId);
    expect(token).toContain(keyId);
  });
});
