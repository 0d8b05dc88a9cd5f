import { describe, expect, it } from 'vitest';
import { MOUNTS, type Mount } from './mount-servers.js';
import { type Exchange, transcriptOf } from './scenario-client.js';
import { scenarioOn } from './scenario-run.js';

describe('the management API mounted on every framework, over real HTTP and SQLite', () => {
  const runs = new Map<Mount, readonly Exchange[]>();

  it.each(MOUNTS)(
    'runs the whole scenario on %s, every answer as the OpenAPI document says',
    async (mount) => {
      runs.set(mount, await scenarioOn(mount));
    },
  );

  it('answers the same statuses, headers and bytes on every mount, request for request', () => {
    expect([...runs.keys()]).toEqual([...MOUNTS]);
    const reference = transcriptOf(runs.get('express') ?? []);
    expect(reference.length).toBeGreaterThan(30);
    for (const mount of MOUNTS) expect(transcriptOf(runs.get(mount) ?? []), mount).toEqual(reference);
  });
});

describe('transcriptOf', () => {
  const exchange = (body: string, path = '/keys/x') =>
    ({ step: 's', method: 'GET', path, status: 200, headers: {}, body, json: JSON.parse(body) }) as const;
  const token = (key: string, secret: string) => `acme_${key}_${secret}`;

  it('replaces generated values by placeholders in order of first appearance, and nothing else', () => {
    const a = [
      exchange(`{"token":"${token('A'.repeat(16), 'x'.repeat(49))}","id":"sa_${'1'.repeat(16)}"}`),
      exchange(`{"nextCursor":"MTc3.abc","id":"${'A'.repeat(16)}"}`, `/keys/${'A'.repeat(16)}`),
    ];
    const b = [
      exchange(`{"token":"${token('B'.repeat(16), 'y'.repeat(49))}","id":"sa_${'2'.repeat(16)}"}`),
      exchange(`{"nextCursor":"MTc4.xyz","id":"${'B'.repeat(16)}"}`, `/keys/${'B'.repeat(16)}`),
    ];
    expect(transcriptOf(a)).toEqual(transcriptOf(b));
    expect(transcriptOf(a)[1]).toBe(
      's | GET /keys/<key-1> | 200 {} | {"nextCursor":"<cursor-1>","id":"<key-1>"}',
    );
    // One byte more (a space) in an answer is a difference.
    const changed = [
      a[0] as Exchange,
      exchange(`{"nextCursor":"MTc3.abc","id":"${'A'.repeat(16)}" }`, `/keys/${'A'.repeat(16)}`),
    ];
    expect(transcriptOf(changed)).not.toEqual(transcriptOf(a));
  });
});
