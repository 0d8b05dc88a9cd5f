import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { redisChangeFeed } from '../../adapters/redis/index.js';
import type { ChangeFeed, StorageChange } from '../../src/storage/change-feed.js';
import { freeLoopbackPort } from '../setup/free-port.js';
import { type ChangeFeedRecorder, recordChangeFeed } from '../support/change-feed-recorder.js';

const redisUrl = inject('redisUrl');

/** The client options these tests set (the subscriber inherits them). */
interface ClientOptions {
  readonly connectionName?: string;
  readonly retryStrategy?: (attempts: number) => number;
}

/** A feed started on a fresh client of its own, with the recorder of what it delivers. */
interface StartedFeed {
  readonly client: Redis;
  readonly feed: ChangeFeed;
  readonly seen: ChangeFeedRecorder;
}

// Skipped only without a Redis server, like the conformance run (see rate-limiter-redis.test.ts).
// Channels and connection names are fresh per test, so the shared server needs no cleanup, and
// the kills below hit this file's connections only (never `CLIENT KILL TYPE pubsub`).
describe.runIf(redisUrl !== null)('redisChangeFeed', () => {
  const clients: Redis[] = [];
  const feeds: ChangeFeed[] = [];
  const open = (options: ClientOptions = {}): Redis => {
    const client = new Redis(redisUrl as string, options);
    clients.push(client);
    return client;
  };
  const admin = () => clients[0] ?? open();

  async function startFeed(channel: string, options: ClientOptions = {}): Promise<StartedFeed> {
    const client = open({ connectionName: `feed-test-${randomUUID()}`, ...options });
    const feed = redisChangeFeed({ client, channel });
    feeds.push(feed);
    const seen = recordChangeFeed(() => feed);
    await feed.start(seen);
    return { client, feed, seen };
  }

  /** The ids of the connections named like `client`'s (the host's own, and its duplicates). */
  async function connectionsOf(client: Redis): Promise<{ id: string; subscribed: boolean }[]> {
    const name = client.options.connectionName as string;
    const list = (await admin().client('LIST')) as string;
    return list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => ({
        id: /\bid=(\d+)/.exec(line)?.[1] as string,
        subscribed: /\bsub=[1-9]/.test(line),
      }));
  }

  async function killSubscriberOf(client: Redis): Promise<string> {
    const subscribers = (await connectionsOf(client)).filter((connection) => connection.subscribed);
    expect(subscribers).toHaveLength(1);
    const id = subscribers[0]?.id as string;
    expect(await admin().client('KILL', 'ID', id)).toBe(1);
    return id;
  }

  const gaps = (seen: ChangeFeedRecorder) => seen.events.filter((event) => event.type === 'gap');

  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('delivers each published batch to every feed on the channel, the publisher included', async () => {
    const channel = `test:${randomUUID()}`;
    const a = await startFeed(channel);
    const b = await startFeed(channel);
    expect(a.feed).toMatchObject({ name: 'redis', live: true });
    expect(b.feed.live).toBe(true);
    // Both subscriptions are confirmed once start() resolved.
    expect(await admin().pubsub('NUMSUB', channel)).toEqual([channel, 2]);

    await a.feed.publish?.([]); // nothing to say: nothing sent
    const batch: StorageChange[] = [
      { kind: 'key', id: 'key_1' },
      { kind: 'account', id: 'acct_1' },
    ];
    await a.feed.publish?.(batch);
    await b.seen.until(() => b.seen.events.length === 1, 'the batch on b');
    await a.seen.until(() => a.seen.events.length === 1, 'the batch on a');
    expect(b.seen.events).toEqual([{ type: 'changed', changes: batch, at: expect.any(Number) }]);
    expect(a.seen.events).toEqual(b.seen.events.map((event) => ({ ...event, at: expect.any(Number) })));
  });

  it('publishes through the host client, as one compact PUBLISH per call', async () => {
    const channel = `test:${randomUUID()}`;
    const { client, feed } = await startFeed(channel);
    const raw = open();
    const messages: string[] = [];
    raw.on('message', (_channel: string, message: string) => messages.push(message));
    await raw.subscribe(channel);
    await feed.publish?.([
      { kind: 'key', id: 'key_2' },
      { kind: 'account', id: 'acct_2' },
    ]);
    await expect.poll(() => messages).toEqual(['["k:key_2","a:acct_2"]']);
    // The host client stays a plain client: it still runs commands (a subscribed one could not).
    expect(await client.ping()).toBe('PONG');
  });

  it('reports a gap for a message it cannot read, stays live, and delivers the next ones', async () => {
    const channel = `test:${randomUUID()}`;
    const { feed, seen } = await startFeed(channel);
    await admin().publish(channel, 'not a batch');
    await seen.until(() => seen.events.length === 1, 'the gap');
    expect(seen.events[0]).toMatchObject({ type: 'gap', live: true });
    expect(feed.live).toBe(true);
    await feed.publish?.([{ kind: 'key', id: 'key_after' }]);
    await seen.until(() => seen.changes().length === 1, 'the next batch');
    expect(seen.changes()).toEqual([{ kind: 'key', id: 'key_after' }]);
  });

  it('when its connection is killed: not live and a gap, then after reconnecting a gap before live, and delivery again', async () => {
    const channel = `test:${randomUUID()}`;
    const { client, feed, seen } = await startFeed(channel);
    const publisher = await startFeed(channel);
    const killed = await killSubscriberOf(client);

    await seen.until(() => gaps(seen).length === 1, 'the gap of the interruption');
    expect(seen.events[0]).toMatchObject({ type: 'gap', live: false });
    await seen.until(() => feed.live, 'live again');
    // The second gap came before live turned true, and nothing else happened.
    expect(seen.events).toEqual([
      { type: 'gap', live: false, at: expect.any(Number) },
      { type: 'gap', live: false, at: expect.any(Number) },
    ]);
    const subscribers = (await connectionsOf(client)).filter((connection) => connection.subscribed);
    expect(subscribers.map((connection) => connection.id)).not.toContain(killed);
    expect(subscribers).toHaveLength(1);

    await publisher.feed.publish?.([{ kind: 'account', id: 'acct_later' }]);
    await seen.until(() => seen.changes().length === 1, 'a change after the reconnection');
    expect(seen.changes()).toEqual([{ kind: 'account', id: 'acct_later' }]);
  });

  it('never delivers what was published while it was disconnected, and reports a gap after it', async () => {
    const channel = `test:${randomUUID()}`;
    // The subscriber inherits the host client's options: reconnect only after 500 ms.
    const { client, feed, seen } = await startFeed(channel, { retryStrategy: () => 500 });
    const publisher = await startFeed(channel);
    await killSubscriberOf(client);
    await seen.until(() => !feed.live && gaps(seen).length === 1, 'the interruption');

    await publisher.feed.publish?.([{ kind: 'key', id: 'key_lost' }]);
    const published = performance.now();
    // Nobody but the publisher's own feed was subscribed: the message is gone for good.
    expect(await admin().pubsub('NUMSUB', channel)).toEqual([channel, 1]);

    await seen.until(() => feed.live, 'live again');
    expect(seen.changes()).toEqual([]);
    const lastGap = gaps(seen).at(-1);
    expect(gaps(seen)).toHaveLength(2);
    expect(lastGap?.at).toBeGreaterThan(published);
  });

  it('stop() closes its own subscriber only: the host client still works, and nothing more is delivered', async () => {
    const channel = `test:${randomUUID()}`;
    const { client, feed, seen } = await startFeed(channel);
    const publisher = await startFeed(channel);
    expect(await connectionsOf(client)).toHaveLength(2);

    await feed.stop();
    expect(feed.live).toBe(false);
    expect(await connectionsOf(client)).toEqual([expect.objectContaining({ subscribed: false })]);
    expect(await client.ping()).toBe('PONG');
    await feed.stop(); // twice is fine

    await publisher.feed.publish?.([{ kind: 'key', id: 'key_after_stop' }]);
    await publisher.seen.until(() => publisher.seen.changes().length === 1, 'the publisher');
    expect(seen.events).toEqual([]);
    await expect(feed.start(seen)).rejects.toThrow(/start\(\) was called already/);
  });

  it('rejects start() when Redis cannot be reached, leaving nothing running', async () => {
    const client = new Redis({ host: '127.0.0.1', port: await freeLoopbackPort(), lazyConnect: true });
    const feed = redisChangeFeed({ client });
    const seen = recordChangeFeed(() => feed);
    await expect(feed.start(seen)).rejects.toThrow(/redisChangeFeed: could not subscribe to keyward:changes/);
    expect(feed.live).toBe(false);
    expect(client.status).toBe('wait'); // the host's client was never touched
    await new Promise((resolve) => setTimeout(resolve, 200)); // no reconnection attempt reports anything
    expect(seen.events).toEqual([]);
    await feed.stop();
  });
});
