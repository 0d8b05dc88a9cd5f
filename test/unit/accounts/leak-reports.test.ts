import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import {
  ERROR_CODES,
  type Hasher,
  type KeywardEvent,
  type LeakReport,
  type StorageAdapter,
} from '../../../src/index.js';
import { formatToken, generateKeyId, generateSecret, nobleHasher } from '../../../src/keys/index.js';
import { admin, dataset, OTHER_TENANT, otherAdmin, setup } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const read = { action: 'datasets:read', resource: dataset('d_1') } as const;
const FOUND_AT = 'https://github.com/octocat/hello/blob/0123abc/config.env';

/** A memory adapter that counts every call of each of its methods (transactions included). */
function countingStorage(): { storage: StorageAdapter; calls: Map<string, number>; total: () => number } {
  const inner = memoryAdapter();
  const calls = new Map<string, number>();
  const storage = new Proxy(inner, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const total = () => [...calls.values()].reduce((sum, count) => sum + count, 0);
  return { storage, calls, total };
}

/** The noble hasher without its hex shortcuts, counting the digests it computes. */
function countingHasher(): { hasher: Hasher; digests: () => number; reset: () => void } {
  let digests = 0;
  const hasher: Hasher = {
    name: 'counting',
    sha256: (data) => {
      digests++;
      return nobleHasher.sha256(data);
    },
    hmacSha256: (key, data) => {
      digests++;
      return nobleHasher.hmacSha256(key, data);
    },
  };
  return {
    hasher,
    digests: () => digests,
    reset: () => {
      digests = 0;
    },
  };
}

async function world(overrides: Parameters<typeof setup>[0] = {}) {
  const counting = countingStorage();
  const hashing = countingHasher();
  const fixture = setup({ storage: counting.storage, hasher: hashing.hasher, ...overrides });
  const { kw } = fixture;
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'leaky' },
  });
  if (key === undefined) throw new Error('no key');
  return { ...fixture, ...counting, hashing, account, token: key.token, keyId: key.key.id };
}

function report(token: string, extra: Partial<LeakReport> = {}): LeakReport {
  return { token, type: 'acme_api_key', url: FOUND_AT, source: 'content', ...extra };
}

/** A well-formed token (right prefix, length, checksum) for `keyId` with a fresh secret. */
function forgedToken(keyId: string): string {
  return formatToken({ prefix: 'acme', keyId, secret: generateSecret() });
}

describe('keys.reportLeaks', () => {
  it('revokes a reported key at once and audits the leak with its URL and source, as the system', async () => {
    const { kw, token, keyId, account } = await world({ cache: { ttlMs: 60_000 } });
    expect((await kw.verify(token, read)).ok).toBe(true); // now in the verification cache
    const answer = await kw.keys.reportLeaks([report(token)], { mode: 'revoke' });
    expect(answer).toEqual({ results: [{ index: 0, label: 'true_positive' }] });
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    expect((await kw.keys.get(admin, { keyId })).status).toBe('revoked');
    const [event] = (await kw.audit.list(admin, { action: 'api_key.leak' })).items;
    expect(event).toMatchObject({
      action: 'api_key.leak',
      actor: { type: 'system', id: 'secret_scanning' },
      workspaceId: account.workspaceId,
      target: { type: 'api_key', id: keyId },
      outcome: 'success',
      request: { url: FOUND_AT, source: 'content' },
      before: { status: 'active' },
      after: { status: 'revoked' },
    });
  });

  it('in report mode audits the leak and leaves the key working', async () => {
    const { kw, token, keyId, calls } = await world();
    calls.clear();
    const answer = await kw.keys.reportLeaks([report(token, { source: 'commit' })], { mode: 'report' });
    expect(answer.results).toEqual([{ index: 0, label: 'true_positive' }]);
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect(calls.get('updateKey') ?? 0).toBe(0);
    const [event] = (await kw.audit.list(admin, { action: 'api_key.leak' })).items;
    expect(event).toMatchObject({
      target: { id: keyId },
      request: { url: FOUND_AT, source: 'commit' },
      before: { status: 'active' },
      after: { status: 'active' },
    });
  });

  it('answers a wrong secret of an existing key id exactly as an unknown key id, with the same work', async () => {
    const { kw, keyId, calls, hashing } = await world();
    const wrongSecret = forgedToken(keyId);
    const unknownKey = forgedToken(generateKeyId());
    const answers: string[] = [];
    const work: unknown[] = [];
    for (const token of [wrongSecret, unknownKey]) {
      calls.clear();
      hashing.reset();
      answers.push(JSON.stringify(await kw.keys.reportLeaks([report(token)], { mode: 'revoke' })));
      work.push({ storage: Object.fromEntries(calls), digests: hashing.digests() });
    }
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0]).toBe('{"results":[{"index":0,"label":"false_positive"}]}');
    expect(work[0]).toEqual(work[1]);
    expect(work[0]).toEqual({ storage: { findKeyForVerification: 1 }, digests: 1 });
    expect((await kw.audit.list(admin, { action: 'api_key.leak' })).items).toEqual([]);
    expect((await kw.keys.get(admin, { keyId })).status).toBe('active');
  });

  it('answers malformed tokens and bad checksums false_positive without touching storage', async () => {
    const { kw, token, total } = await world();
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    const badChecksum = `${token.slice(0, -1)}${lastChar}`;
    const otherPrefix = `beta${token.slice(4)}`;
    const before = total();
    const answer = await kw.keys.reportLeaks(
      [badChecksum, otherPrefix, 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', '', ` ${token}`].map((t) =>
        report(t),
      ),
      { mode: 'revoke' },
    );
    expect(answer.results.map((result) => result.label)).toEqual(Array(5).fill('false_positive'));
    expect(answer.results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4]);
    expect(total()).toBe(before);
  });

  it('answers in input order, each report on its own', async () => {
    const { kw, token, keyId } = await world();
    const answer = await kw.keys.reportLeaks([report(forgedToken(keyId)), report(token), report('nope')], {
      mode: 'report',
    });
    expect(answer.results).toEqual([
      { index: 0, label: 'false_positive' },
      { index: 1, label: 'true_positive' },
      { index: 2, label: 'false_positive' },
    ]);
  });

  it('counts the previous secret inside its grace period, and not after it', async () => {
    const { kw, token, keyId, clock } = await world();
    const rotated = await kw.keys.regenerate(admin, { keyId, gracePeriodSeconds: 3600 });
    clock.advance(3599 * 1000);
    expect((await kw.keys.reportLeaks([report(token)], { mode: 'report' })).results[0]?.label).toBe(
      'true_positive',
    );
    clock.advance(2000);
    expect((await kw.keys.reportLeaks([report(token)], { mode: 'revoke' })).results[0]?.label).toBe(
      'false_positive',
    );
    expect((await kw.verify(rotated.token, read)).ok).toBe(true);
  });

  it('revokes the key when its previous secret leaks inside the grace period', async () => {
    const { kw, token, keyId } = await world();
    const rotated = await kw.keys.regenerate(admin, { keyId, gracePeriodSeconds: 3600 });
    await kw.keys.reportLeaks([report(token)], { mode: 'revoke' });
    expect(await kw.verify(rotated.token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    expect(await kw.verify(token, read)).toMatchObject({ ok: false });
  });

  it('still answers true_positive for a revoked key and never revokes it twice', async () => {
    const { kw, token, keyId, calls } = await world();
    await kw.keys.reportLeaks([report(token)], { mode: 'revoke' });
    const revokedAt = (await kw.keys.get(admin, { keyId })).revokedAt;
    calls.clear();
    const again = await kw.keys.reportLeaks([report(token), report(token)], { mode: 'revoke' });
    expect(again.results.map((result) => result.label)).toEqual(['true_positive', 'true_positive']);
    expect(calls.get('updateKey') ?? 0).toBe(0);
    expect((await kw.keys.get(admin, { keyId })).revokedAt).toEqual(revokedAt);
    const events = (await kw.audit.list(admin, { action: 'api_key.leak' })).items;
    expect(events).toHaveLength(3); // every report of a real secret is audited
    expect(events.filter((event) => event.before?.status === 'active')).toHaveLength(1);
    expect((await kw.audit.list(admin, { action: 'api_key.revoke' })).items).toEqual([]);
  });

  it('still answers true_positive for a key revoked by an admin, and changes nothing', async () => {
    const { kw, token, keyId, calls } = await world();
    await kw.keys.revoke(admin, { keyId });
    calls.clear();
    const answer = await kw.keys.reportLeaks([report(token)], { mode: 'revoke' });
    expect(answer.results[0]?.label).toBe('true_positive');
    expect(calls.get('updateKey') ?? 0).toBe(0);
  });

  it('acts on the key of whichever tenant it belongs to, and on nothing else', async () => {
    const { kw, token, keyId } = await world();
    const other = await kw.serviceAccounts.create(otherAdmin, {
      workspaceId: 'w_globex',
      name: 'other',
      roles: ['analyst'],
      firstKey: { name: 'k' },
    });
    const otherToken = other.key?.token as string;
    const otherRead = {
      action: 'datasets:read',
      resource: dataset('d_1', 'w_globex', OTHER_TENANT),
    } as const;
    await kw.keys.reportLeaks([report(otherToken)], { mode: 'revoke' });
    expect(await kw.verify(otherToken, otherRead)).toMatchObject({ ok: false, code: 'key_revoked' });
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect((await kw.keys.get(admin, { keyId })).status).toBe('active');
    expect((await kw.audit.list(admin, { action: 'api_key.leak' })).items).toEqual([]);
    const theirs = (await kw.audit.list(otherAdmin, { action: 'api_key.leak' })).items;
    expect(theirs.map((event) => [event.tenantId, event.target.id])).toEqual([
      [OTHER_TENANT, other.key?.key.id],
    ]);
  });

  it('records no URL when the scanner sends an empty one, and no source when it sends none', async () => {
    const { kw, token } = await world();
    await kw.keys.reportLeaks([{ token, type: 'acme_api_key', url: '' }], { mode: 'report' });
    const [event] = (await kw.audit.list(admin, { action: 'api_key.leak' })).items;
    expect(event?.request).toEqual({});
  });

  it('refuses malformed input as INVALID_INPUT, before any storage work', async () => {
    const { kw, token, total } = await world();
    const before = total();
    const bad: unknown[] = [
      [],
      Array(1001).fill(report('x')),
      [report(token, { url: '/relative/path' })],
      [report(token, { url: 'ftp://example.com/file' })],
      [report(token, { url: 'javascript:alert(1)' })],
      [report(token, { source: 'content\u202e' })],
      [{ type: 'acme_api_key', url: FOUND_AT }],
      { token, type: 'acme_api_key', url: FOUND_AT },
    ];
    for (const reports of bad) {
      const error = await rejection(kw.keys.reportLeaks(reports as LeakReport[], { mode: 'revoke' }));
      expect(error).toMatchObject({ code: ERROR_CODES.INVALID_INPUT });
    }
    const wrongMode = await rejection(
      kw.keys.reportLeaks([report(token)], { mode: 'delete' as unknown as 'revoke' }),
    );
    expect(wrongMode).toMatchObject({ code: ERROR_CODES.INVALID_INPUT });
    expect(total()).toBe(before);
  });

  it('never puts the token in an answer, an audit event or an error', async () => {
    const { kw, token, keyId } = await world();
    const secret = token.slice(`acme_${keyId}_`.length);
    const answer = await kw.keys.reportLeaks([report(token)], { mode: 'revoke' });
    const error = await rejection(
      kw.keys.reportLeaks([report(token, { url: 'not a url' })], { mode: 'revoke' }),
    );
    const audit = (await kw.audit.list(admin)).items;
    for (const shown of [answer, audit, { message: (error as Error).message, ...(error as object) }]) {
      const text = JSON.stringify(shown);
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/"hash"|token/i);
    }
  });
});

describe('keys.reportLeaks and onEvent', () => {
  it('emits key.leaked with the key after the change, as done by the system', async () => {
    const events: KeywardEvent[] = [];
    const { kw, token, keyId } = await world({ onEvent: (event) => void events.push(event) });
    events.length = 0;
    await kw.keys.reportLeaks([report(token), report('not ours')], { mode: 'revoke' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'key.leaked',
      action: 'api_key.leak',
      actor: { type: 'system', id: 'secret_scanning' },
      target: { type: 'api_key', id: keyId },
      key: { id: keyId, status: 'revoked' },
    });
    expect(JSON.stringify(events)).not.toContain(token);
  });
});
