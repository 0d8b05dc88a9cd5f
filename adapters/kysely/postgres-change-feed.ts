import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type { ChangeFeed, ChangeFeedListener, StorageChange } from '../../src/storage/change-feed.js';
import { parseChangePayload } from './change-notices.js';
import {
  type ListeningPostgresClient,
  type PostgresChangeFeedOptions,
  type ResolvedChangeFeedOptions,
  reconnectDelay,
  resolveChangeFeedOptions,
} from './postgres-change-feed-options.js';

/**
 * A {@link ChangeFeed} over PostgreSQL `LISTEN`: one dedicated connection per instance listens
 * to the channel the Kysely adapter notifies on (`pg_notify` in the transaction of every change
 * to an account or a key, so a notice arrives only once the change committed). Notices arriving
 * together are delivered as one batch; a payload the feed cannot read counts as a gap.
 *
 * When the connection fails, ends, or stops answering its heartbeat, the feed turns not live
 * and calls `gap()`, reconnects with exponential backoff and jitter (100 ms doubling up to 5 s
 * by default), listens again, calls `gap()` once more (for what committed during the outage),
 * and only then turns live. `stop()` ends the connection the feed opened and stops reconnecting.
 * Errors and messages never hold the connection settings.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresChangeFeed } from 'keyward/adapters/kysely';
 *
 * const changes = postgresChangeFeed({ connect: () => new pg.Client({ connectionString, keepAlive: true }) });
 * ```
 */
export function postgresChangeFeed(options: PostgresChangeFeedOptions): ChangeFeed {
  return new PostgresChangeFeed(resolveChangeFeedOptions(options));
}

/** One listening connection: what the feed knows of it. */
interface Connection {
  readonly client: ListeningPostgresClient;
  /** Heartbeat timer, while listening. */
  heartbeat?: ReturnType<typeof setInterval> | undefined;
  /** A heartbeat was sent and not yet answered. */
  awaitingBeat: boolean;
  /** Changes received in this tick, by payload; `gap` when one could not be read. */
  batch: Map<string, StorageChange> | 'gap' | undefined;
}

class PostgresChangeFeed implements ChangeFeed {
  readonly name = 'postgres';
  readonly #options: ResolvedChangeFeedOptions;
  #listener: ChangeFeedListener | undefined;
  /** The connection being opened or listening; `undefined` between attempts and once stopped. */
  #connection: Connection | undefined;
  #live = false;
  /** Failed reconnection attempts in a row (sets the backoff). */
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** The attempt in progress, which `stop()` waits for. */
  #opening: Promise<void> | undefined;
  /** Settles when `stop()` is called: an attempt waiting on the server gives up at once. */
  #stopped: Promise<void> = new Promise(() => {});
  #stop: () => void = () => {};

  constructor(options: ResolvedChangeFeedOptions) {
    this.#options = options;
  }

  get live(): boolean {
    return this.#live;
  }

  async start(listener: ChangeFeedListener): Promise<void> {
    if (this.#listener !== undefined)
      throw new KeywardError(
        ERROR_CODES.INVALID_CONFIG,
        'This change feed is already started: one listener per feed',
      );
    this.#listener = listener;
    this.#stopped = new Promise((resolve) => {
      this.#stop = resolve;
    });
    try {
      await this.#attempt(false);
    } catch (error) {
      this.#listener = undefined;
      throw new KeywardError(ERROR_CODES.STORAGE_UNAVAILABLE, 'PostgreSQL change feed could not listen', {
        cause: error,
      });
    }
  }

  async stop(): Promise<void> {
    this.#listener = undefined;
    this.#live = false;
    this.#stop();
    clearTimeout(this.#retry);
    this.#retry = undefined;
    const opening = this.#opening;
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) await this.#close(connection);
    await opening?.catch(() => undefined);
  }

  /** One attempt: connect, listen, go live (after a `gap()` when `reconnecting`). */
  #attempt(reconnecting: boolean): Promise<void> {
    const opening = this.#open(reconnecting).finally(() => {
      if (this.#opening === opening) this.#opening = undefined;
    });
    this.#opening = opening;
    return opening;
  }

  async #open(reconnecting: boolean): Promise<void> {
    const listener = this.#listener;
    const client = await this.#options.connect();
    if (this.#listener !== listener) return endOnce(client); // stopped meanwhile
    const connection: Connection = { client, awaitingBeat: false, batch: undefined };
    this.#connection = connection;
    client.on('error', () => this.#lost(connection));
    client.on('end', () => this.#lost(connection));
    client.on('notification', (message) => {
      if (message.channel === this.#options.channel) this.#received(connection, message.payload);
    });
    try {
      await this.#bounded(client.connect());
      await this.#bounded(client.query(`listen "${this.#options.channel}"`));
    } catch (error) {
      if (this.#connection === connection) this.#connection = undefined;
      await this.#close(connection);
      throw error;
    }
    if (this.#connection !== connection || this.#listener !== listener || listener === undefined) {
      if (this.#connection === connection) this.#connection = undefined;
      await this.#close(connection); // stopped meanwhile
      return;
    }
    this.#failures = 0;
    this.#beat(connection);
    if (reconnecting) safely(() => listener.gap());
    this.#live = true;
  }

  /**
   * `work` of an attempt, given up (rejected) when `stop()` is called or after
   * {@link ATTEMPT_TIMEOUT_MS}: pg's `connect()` never settles once `end()` was called while it
   * was connecting, and a server that never answers must not hold the feed's reconnection.
   */
  #bounded<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from PostgreSQL within ${ATTEMPT_TIMEOUT_MS} ms`)),
        ATTEMPT_TIMEOUT_MS,
      );
      timer.unref?.();
    });
    const stopped = this.#stopped.then(() => {
      throw new Error('the change feed was stopped');
    });
    return Promise.race([work, timeout, stopped]).finally(() => clearTimeout(timer));
  }

  /** The connection failed or ended: not live, `gap()`, reconnect. Ignored unless it was listening. */
  #lost(connection: Connection): void {
    if (this.#connection !== connection || !this.#live) return;
    this.#live = false;
    this.#connection = undefined;
    void this.#close(connection);
    const listener = this.#listener;
    if (listener !== undefined) safely(() => listener.gap());
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#listener === undefined) return;
    const delay = reconnectDelay(this.#failures, this.#options);
    this.#failures += 1;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#listener === undefined) return;
      this.#attempt(true).catch(() => this.#scheduleReconnect());
    }, delay);
    this.#retry.unref?.();
  }

  /** Checks every `heartbeatMs` that the connection answers; an unanswered check counts as lost. */
  #beat(connection: Connection): void {
    connection.heartbeat = setInterval(() => {
      if (connection.awaitingBeat) {
        this.#lost(connection);
        return;
      }
      connection.awaitingBeat = true;
      connection.client.query('select 1').then(
        () => {
          connection.awaitingBeat = false;
        },
        () => this.#lost(connection),
      );
    }, this.#options.heartbeatMs);
    connection.heartbeat.unref?.();
  }

  /** Adds a notice to the tick's batch, delivered once the notices read together are all in. */
  #received(connection: Connection, payload: string | undefined): void {
    if (this.#connection !== connection) return;
    const change = payload === undefined ? null : parseChangePayload(payload);
    if (connection.batch === undefined) {
      connection.batch = new Map();
      queueMicrotask(() => this.#deliver(connection));
    }
    if (change === null) connection.batch = 'gap';
    else if (connection.batch !== 'gap') connection.batch.set(payload as string, change);
  }

  #deliver(connection: Connection): void {
    const batch = connection.batch;
    connection.batch = undefined;
    const listener = this.#listener;
    if (this.#connection !== connection || listener === undefined || batch === undefined) return;
    if (batch === 'gap') {
      safely(() => listener.gap());
      return;
    }
    try {
      listener.changed([...batch.values()]);
    } catch {
      // The cache may have kept what changed: dropping everything is the safe answer.
      safely(() => listener.gap());
    }
  }

  /** Ends a connection's client and its heartbeat, once; never throws. */
  async #close(connection: Connection): Promise<void> {
    clearInterval(connection.heartbeat);
    connection.heartbeat = undefined;
    connection.batch = undefined;
    await endOnce(connection.client);
  }
}

/** How long one attempt waits for the server to accept the connection, then for `LISTEN`. */
const ATTEMPT_TIMEOUT_MS = 10_000;

const ended = new WeakSet<ListeningPostgresClient>();

/**
 * How long `stop()` waits for a client's `end()`: pg's `end()` on a client whose connection
 * failed while connecting can wait for an `end` event that already went by, and a feed that is
 * told to stop must stop. The socket of such a client is already closed.
 *
 * @internal
 */
export const CLIENT_END_TIMEOUT_MS = 2_000;

/** Ends a client once; never throws, and never waits more than {@link CLIENT_END_TIMEOUT_MS}. */
async function endOnce(client: ListeningPostgresClient): Promise<void> {
  if (ended.has(client)) return;
  ended.add(client);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const givenUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLIENT_END_TIMEOUT_MS);
    timer.unref?.();
  });
  try {
    await Promise.race([client.end(), givenUp]);
  } catch {
    // Already closed by the server or the network: nothing left to release.
  } finally {
    clearTimeout(timer);
  }
}

/** Calls into the listener; a listener that throws must not break the connection's event loop. */
function safely(call: () => void): void {
  try {
    call();
  } catch {
    // The listener's own failure: the feed has no better place to report it.
  }
}
