import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * A pooled PostgreSQL client as {@link postgresDiscardBrokenConnections} needs it: `pg`'s
 * `PoolClient` has this shape.
 */
export interface DiscardablePostgresPoolClient {
  /** Runs a query (Kysely's calling convention). */
  query: PostgresPoolClient['query'];
  /** Returns the client to its pool; with `true`, the pool closes the connection instead. */
  release(destroy?: boolean): void;
  /** Listens for the client's `error` event (a connection lost while the client is checked out). */
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A PostgreSQL pool as {@link postgresDiscardBrokenConnections} needs it: `pg.Pool` has this shape. */
export interface DiscardablePostgresPool {
  /** Checks a client out of the pool. */
  connect(): Promise<DiscardablePostgresPoolClient>;
  /** Closes every connection of the pool. */
  end(): Promise<void>;
}

/** What this module knows of one connection: the failure that condemned it, if any. */
interface ConnectionState {
  failure: unknown;
  readonly client: PostgresPoolClient;
}

/** Pools returned by {@link postgresDiscardBrokenConnections}: wrapping one again changes nothing. */
const discardingPools = new WeakSet<PostgresPool>();

/**
 * Wraps a `pg` pool so that a connection whose state is unknown is closed instead of reused.
 * A query that failed without an answer from the server (pg's client-side `query_timeout`, a
 * socket that broke) may still be running in an open transaction; Kysely returns connections
 * with a plain `release()`, so the next caller of that connection would run inside that
 * transaction, and its `COMMIT` would commit the half of a mutation that the caller was told had
 * failed. Here, once a query on a connection fails that way (or the connection reports an
 * `error` event, or the server ends the session), every further query on it rejects at once, and
 * releasing it closes it (`release(true)`); the server then rolls its transaction back.
 * Statement errors the server answered (a constraint, a serialization failure, a server-side
 * `statement_timeout`) leave the connection in use: Kysely's `ROLLBACK` ends their transaction.
 *
 * `postgresPreparedStatements` includes this; use this one on its own when you do not want
 * prepared statements. Cursors (`pg-cursor`) pass through unchanged.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString, query_timeout: 5_000 });
 * pool.on('error', (error) => log.warn(error));
 * const db = new Kysely({ dialect: new PostgresDialect({ pool: postgresDiscardBrokenConnections(pool) }) });
 * ```
 */
export function postgresDiscardBrokenConnections(pool: DiscardablePostgresPool): PostgresPool {
  if (discardingPools.has(pool as PostgresPool)) return pool as PostgresPool;
  const states = new WeakMap<DiscardablePostgresPoolClient, ConnectionState>();
  const discarding: PostgresPool = {
    end: () => pool.end(),
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let state = states.get(client);
      if (state === undefined) {
        state = connectionState(client);
        states.set(client, state);
      }
      return state.client;
    },
  };
  discardingPools.add(discarding);
  return discarding;
}

/** Watches one connection, once, for the whole time the pool keeps it. */
function connectionState(raw: DiscardablePostgresPoolClient): ConnectionState {
  const state: ConnectionState = {
    failure: undefined,
    client: {
      query: ((...args: unknown[]) => {
        if (state.failure !== undefined) {
          const refused = discarded(state.failure);
          if (isCursor(args[0])) throw refused;
          return Promise.reject(refused);
        }
        const result = (raw.query as (...args: unknown[]) => unknown).apply(raw, args);
        if (!isThenable(result)) return result; // a cursor
        return result.then(undefined, (error: unknown) => {
          if (state.failure === undefined && leavesStateUnknown(error)) state.failure = error;
          throw error;
        });
      }) as PostgresPoolClient['query'],
      release: () => (state.failure === undefined ? raw.release() : raw.release(true)),
    },
  };
  raw.on?.('error', (error) => {
    state.failure ??= error;
  });
  return state;
}

/**
 * True unless the server answered the query with a statement-level error: a SQLSTATE and a
 * severity, in a class that leaves the session alive. Anything else (no answer in time, a broken
 * socket, a session the server is ending) leaves the connection in a state nobody knows.
 */
function leavesStateUnknown(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string' || typeof severity !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return sessionEnds(code);
}

/**
 * SQLSTATEs after which the server closes the session: connection exceptions (class 08),
 * shutdowns and a dropped database (57P01-57P05), `idle_in_transaction_session_timeout` (25P03).
 */
function sessionEnds(code: string): boolean {
  return code.startsWith('08') || code.startsWith('57P') || code === '25P03';
}

/** `pg-cursor` and other submittables: pg returns them instead of a promise. */
function isCursor(query: unknown): boolean {
  return (
    typeof query === 'object' &&
    query !== null &&
    typeof (query as { submit?: unknown }).submit === 'function'
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The error of a query refused on a condemned connection; `cause` is what condemned it. */
function discarded(cause: unknown): Error {
  return new Error('PostgreSQL connection discarded: an earlier failure left its state unknown', { cause });
}
