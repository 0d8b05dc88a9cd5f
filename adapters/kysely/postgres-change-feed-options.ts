import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { POSTGRES_CHANGE_CHANNEL } from './change-notices.js';

/**
 * A PostgreSQL client as {@link postgresChangeFeed} needs it: `pg`'s `Client` has this shape.
 * keyward never imports `pg`; the host passes a client it built.
 */
export interface ListeningPostgresClient {
  /** Opens the connection (called once, by the feed). */
  connect(): Promise<unknown>;
  /** Runs a statement: `LISTEN`, and the feed's heartbeat `SELECT 1`. */
  query(text: string): Promise<unknown>;
  /** A `NOTIFY` on a channel this connection listens to. */
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string | undefined }) => void,
  ): unknown;
  /** The connection failed. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** The connection ended. */
  on(event: 'end', listener: () => void): unknown;
  /** Closes the connection. */
  end(): Promise<unknown>;
}

/** How {@link postgresChangeFeed} waits between reconnection attempts: exponential, with jitter. */
export interface PostgresChangeFeedReconnect {
  /** The first wait, in ms (a whole number from 1); default 100. */
  readonly initialMs?: number | undefined;
  /** The longest wait, in ms (a whole number, at least `initialMs`); default 5000. */
  readonly maxMs?: number | undefined;
}

/** Options of {@link postgresChangeFeed}. */
export interface PostgresChangeFeedOptions {
  /**
   * Returns a new client, not yet connected, for the feed's own use (for instance
   * `() => new pg.Client({ connectionString, keepAlive: true })`); called again for every
   * reconnection. The feed connects it, listens on it, and ends it. Point it at the server
   * itself (or a session-pooling proxy): `LISTEN` does not survive transaction pooling.
   */
  readonly connect: () => ListeningPostgresClient | Promise<ListeningPostgresClient>;
  /**
   * The channel to listen to; default `keyward_changes`, the one the Kysely adapter always
   * notifies on (another channel hears only what something else sends there, a relay or a
   * test). A plain identifier (letters, digits, `_`, at most 63 characters).
   */
  readonly channel?: string | undefined;
  /** Waits between reconnection attempts; default 100 ms doubling up to 5 s, with jitter. */
  readonly reconnect?: PostgresChangeFeedReconnect | undefined;
  /**
   * How often, in ms, the feed checks that its connection still answers (`SELECT 1`); a check
   * unanswered when the next one is due counts as a lost connection (a network that drops
   * packets silently would otherwise look like a quiet feed). A whole number from 100; default
   * 10000.
   */
  readonly heartbeatMs?: number | undefined;
}

/** The options with their defaults, validated. @internal */
export interface ResolvedChangeFeedOptions {
  readonly connect: PostgresChangeFeedOptions['connect'];
  readonly channel: string;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly heartbeatMs: number;
}

const CHANNEL = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Validates {@link PostgresChangeFeedOptions}; throws `INVALID_CONFIG`. @internal */
export function resolveChangeFeedOptions(options: PostgresChangeFeedOptions): ResolvedChangeFeedOptions {
  if (typeof options?.connect !== 'function') invalid(['connect'], 'Expected connect to be a function');
  const channel = options.channel ?? POSTGRES_CHANGE_CHANNEL;
  if (typeof channel !== 'string' || !CHANNEL.test(channel))
    invalid(['channel'], 'Expected channel to be a plain identifier of at most 63 characters');
  const initialMs = wholeMs(options.reconnect?.initialMs, 100, 1, ['reconnect', 'initialMs']);
  const maxMs = wholeMs(options.reconnect?.maxMs, Math.max(5_000, initialMs), initialMs, [
    'reconnect',
    'maxMs',
  ]);
  const heartbeatMs = wholeMs(options.heartbeatMs, 10_000, 100, ['heartbeatMs']);
  return { connect: options.connect, channel, initialMs, maxMs, heartbeatMs };
}

/**
 * The wait before reconnection attempt `attempt` (0 first): `initialMs` doubled per attempt,
 * capped at `maxMs`, then scaled by a random factor from 0.5 to 1 so that a fleet that lost the
 * server together does not come back in step.
 *
 * @internal
 */
export function reconnectDelay(
  attempt: number,
  options: ResolvedChangeFeedOptions,
  random = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(base * (0.5 + random() / 2)));
}

function wholeMs(value: unknown, fallback: number, min: number, path: readonly string[]): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= 86_400_000)
    return value;
  return invalid(
    path,
    `Expected ${path.join('.')} to be a whole number of milliseconds from ${min} to 86400000`,
  );
}

function invalid(path: readonly string[], message: string): never {
  throw new KeywardError(ERROR_CODES.INVALID_CONFIG, message, {
    issues: [{ code: 'invalid_value', path: [...path], message }],
  });
}
