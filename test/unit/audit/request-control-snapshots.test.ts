import { describe, expect, it } from 'vitest';
import { toKeyInfo } from '../../../src/management/keys/key-view.js';
import { redactForAudit } from '../../../src/management/redact.js';
import { buildServiceAccount } from '../../../src/testing/index.js';
import { richApiKey, richServiceAccount } from '../../../src/testing/rich-records.js';

describe('audit snapshots of the request controls', () => {
  it("keep an account's IP allowlist and rate limits as they are", () => {
    const account = richServiceAccount('t_snap');
    const snapshot = redactForAudit(account);
    expect(snapshot?.ipAllowlist).toEqual(account.ipAllowlist);
    expect(snapshot?.rateLimits).toEqual(account.rateLimits);
  });

  it("keep a key's IP allowlist, rate limits and credits (dates as ISO text), never its digests", () => {
    const key = richApiKey(buildServiceAccount());
    const snapshot = redactForAudit(toKeyInfo(key, key.createdAt.getTime()));
    expect(snapshot?.ipAllowlist).toEqual(key.ipAllowlist);
    expect(snapshot?.rateLimits).toEqual(key.rateLimits);
    expect(snapshot?.credits).toEqual({
      remaining: key.credits?.remaining,
      refill: key.credits?.refill,
      refilledAt: key.credits?.refilledAt?.toISOString(),
    });
    expect(JSON.stringify(snapshot)).not.toContain(key.hash);
  });

  it('record unlimited credits and no allowlist as null, and no rate limits as []', () => {
    const account = buildServiceAccount();
    expect(redactForAudit(account)).toMatchObject({ ipAllowlist: null, rateLimits: [] });
  });
});
