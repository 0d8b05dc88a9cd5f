import { describe, expect, it } from 'vitest';
import { changePayload, parseChangePayload } from '../../../adapters/kysely/change-notices.js';
import { postgresChangeFeed } from '../../../adapters/kysely/index.js';
import {
  type ListeningPostgresClient,
  reconnectDelay,
  resolveChangeFeedOptions,
} from '../../../adapters/kysely/postgres-change-feed-options.js';
import type { StorageChange } from '../../../src/storage/change-feed.js';

/** Never connected: these tests only build feeds. */
const connect = (): ListeningPostgresClient => {
  throw new Error('not connected in unit tests');
};

describe('change payloads', () => {
  it('round-trip keys and accounts, ids with colons included', () => {
    const changes: StorageChange[] = [
      { kind: 'key', id: 'abc123' },
      { kind: 'account', id: 'sa_x:y' },
    ];
    expect(changes.map(changePayload)).toEqual(['k:abc123', 'a:sa_x:y']);
    expect(changes.map(changePayload).map(parseChangePayload)).toEqual(changes);
  });

  it.each(['', 'k', 'k:', 'x:id', 'kid', ':id', 'K:id', 'key:id'])(
    'refuse the malformed payload %j',
    (payload) => {
      expect(parseChangePayload(payload)).toBeNull();
    },
  );
});

describe('postgresChangeFeed options', () => {
  it('default to the adapter channel, 100 ms doubling up to 5 s, a 10 s heartbeat', () => {
    expect(resolveChangeFeedOptions({ connect })).toEqual({
      connect,
      channel: 'keyward_changes',
      initialMs: 100,
      maxMs: 5_000,
      heartbeatMs: 10_000,
    });
  });

  it.each([
    [{ connect: 'postgres://user:secret@host/db' }, 'connect'],
    [{ connect, channel: 'bad channel"; drop table x; --' }, 'channel'],
    [{ connect, channel: '' }, 'channel'],
    [{ connect, reconnect: { initialMs: 0 } }, 'reconnect.initialMs'],
    [{ connect, reconnect: { initialMs: 500, maxMs: 100 } }, 'reconnect.maxMs'],
    [{ connect, reconnect: { maxMs: 1.5 } }, 'reconnect.maxMs'],
    [{ connect, heartbeatMs: 10 }, 'heartbeatMs'],
  ])('refuse %j with INVALID_CONFIG at %s, naming no value', (options, path) => {
    let thrown: { code?: string; message?: string; issues?: { path: string[] }[] } | undefined;
    try {
      postgresChangeFeed(options as never);
    } catch (error) {
      thrown = error as typeof thrown;
    }
    expect(thrown?.code).toBe('INVALID_CONFIG');
    expect(thrown?.issues?.[0]?.path.join('.')).toBe(path);
    expect(thrown?.message).not.toContain('secret');
  });

  it('a new feed is not live before start', () => {
    const feed = postgresChangeFeed({ connect });
    expect([feed.name, feed.live]).toEqual(['postgres', false]);
  });
});

describe('reconnectDelay', () => {
  const options = resolveChangeFeedOptions({ connect });

  it('doubles from initialMs, caps at maxMs, and jitters between half and all of it', () => {
    const bases = [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000];
    bases.forEach((base, attempt) => {
      expect(reconnectDelay(attempt, options, () => 0)).toBe(base / 2);
      expect(reconnectDelay(attempt, options, () => 0.999_999)).toBe(base);
    });
    expect(reconnectDelay(10_000, options, () => 0.5)).toBe(3_750);
  });
});
