import { describe, expect, it } from 'vitest';
import { openTelemetry } from '../../../adapters/opentelemetry/index.js';
import packageJson from '../../../package.json' with { type: 'json' };
import type { VerifyRequest } from '../../../src/index.js';
import { admin, dataset } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';
import { histogramWith, otelHarness } from './support/otel-harness.js';
import { read, verifiedWorld } from './support/verified-world.js';

describe('keyward.verifications and keyward.verify.duration', () => {
  it('count each verification by outcome and reason, and record how long it took', async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    const write: VerifyRequest = { action: 'datasets:write', resource: dataset('d_1') };
    const seen: [VerifyRequest, number][] = [
      [read, 0.3],
      [read, 4],
      [write, 2],
      [{ action: 'datasets:read', resource: dataset('d_1', 'w_ops') }, 1],
    ];
    for (const [request, ms] of seen) hooks.verified?.(await kw.verify(token, request), request, ms);
    hooks.verified?.(await kw.verify('garbage', read), read, 0.05);

    const metrics = await otel.metrics();
    const verifications = metrics.get('keyward.verifications');
    expect(verifications).toMatchObject({ kind: 'sum', monotonic: true, unit: '{verification}' });
    expect(verifications?.points.map((point) => [point.attributes, point.value])).toEqual(
      expect.arrayContaining([
        [{ 'keyward.outcome': 'allowed' }, 2],
        [{ 'keyward.outcome': 'denied', 'keyward.reason': 'not_granted' }, 1],
        [{ 'keyward.outcome': 'denied', 'keyward.reason': 'outside_workspace_binding' }, 1],
        [{ 'keyward.outcome': 'denied', 'keyward.reason': 'malformed_token' }, 1],
      ]),
    );
    expect(verifications?.points).toHaveLength(4);

    const duration = metrics.get('keyward.verify.duration');
    expect(duration).toMatchObject({ kind: 'histogram', unit: 'ms' });
    const allowed = histogramWith(duration, { 'keyward.outcome': 'allowed' });
    expect(allowed.count).toBe(2);
    expect(allowed.sum).toBeCloseTo(4.3, 6);
    expect(allowed.min).toBeCloseTo(0.3, 6);
    expect(allowed.max).toBe(4);
    // Fine buckets: sub-millisecond verifications are told apart.
    expect(allowed.buckets.boundaries.slice(0, 4)).toEqual([0.1, 0.25, 0.5, 1]);
    expect(allowed.buckets.counts.slice(0, 4)).toEqual([0, 0, 1, 0]);
    const malformed = histogramWith(duration, {
      'keyward.outcome': 'denied',
      'keyward.reason': 'malformed_token',
    });
    expect(malformed.count).toBe(1);
  });

  it('carry no key, tenant or account id: few series however many keys', async () => {
    const { kw, token } = await verifiedWorld();
    const other = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    hooks.verified?.(await kw.verify(token, read), read, 1);
    hooks.verified?.(await other.kw.verify(other.token, read), read, 1);
    const metrics = await otel.metrics();
    expect(
      metrics.get('keyward.verifications')?.points.map((point) => [point.attributes, point.value]),
    ).toEqual([[{ 'keyward.outcome': 'allowed' }, 2]]);
  });
});

describe('keyward.management.calls', () => {
  it('counts each call by operation and outcome, with error.type on a failure', async () => {
    const { kw, account, keyId } = await verifiedWorld({ maxKeysPerAccount: 1 });
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    await hooks.managementCall?.('keys.get', () => kw.keys.get(admin, { keyId }));
    await hooks.managementCall?.('keys.get', () => kw.keys.get(admin, { keyId }));
    await rejection(
      hooks.managementCall?.('keys.issue', () =>
        kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'second' } }),
      ) as Promise<unknown>,
    );
    const calls = (await otel.metrics()).get('keyward.management.calls');
    expect(calls).toMatchObject({ kind: 'sum', monotonic: true, unit: '{call}' });
    expect(calls?.points.map((point) => [point.attributes, point.value])).toEqual([
      [{ 'keyward.operation': 'keys.get', 'keyward.outcome': 'success' }, 2],
      [
        { 'keyward.operation': 'keys.issue', 'keyward.outcome': 'error', 'error.type': 'KEY_LIMIT_REACHED' },
        1,
      ],
    ]);
  });
});

describe('the instrumentation scope', () => {
  it("is keyward with keyward's version, for spans and metrics alike", async () => {
    const { kw, token } = await verifiedWorld();
    const otel = otelHarness();
    const hooks = openTelemetry(otel);
    hooks.verified?.(await kw.verify(token, read), read, 1);
    const scope = { name: 'keyward', version: packageJson.version };
    expect(otel.spans()[0]?.instrumentationScope).toMatchObject(scope);
    expect((await otel.metrics()).get('keyward.verifications')?.scope).toMatchObject(scope);
  });
});
