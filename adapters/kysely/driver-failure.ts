/**
 * What a driver error means to keyward:
 * - `conflict`: a uniqueness rule or a concurrent change won;
 * - `schema`: keyward's tables or columns are missing (migrations not run, or a table dropped);
 * - `unreachable`: the database cannot be reached, is gone, or is busy past its timeout;
 * - `failed`: anything else.
 *
 * @internal
 */
export type DriverFailureKind = 'conflict' | 'schema' | 'unreachable' | 'failed';

/** A classified driver error. @internal */
export interface DriverFailure {
  readonly kind: DriverFailureKind;
  /** The driver's code (`SQLITE_BUSY`, a SQLSTATE, `ECONNREFUSED`) that decided, when there was one. */
  readonly code: string | undefined;
}

/** PostgreSQL SQLSTATEs, by their exact five characters. */
const POSTGRES_CODES: ReadonlyMap<string, DriverFailureKind> = new Map([
  ['23505', 'conflict'], // unique_violation
  ['23503', 'conflict'], // foreign_key_violation (the account went away concurrently)
  ['40001', 'conflict'], // serialization_failure
  ['40P01', 'conflict'], // deadlock_detected
  ['42P01', 'schema'], // undefined_table
  ['42703', 'schema'], // undefined_column
  ['25P03', 'unreachable'], // idle_in_transaction_session_timeout: the server ended the session
  ['58030', 'unreachable'], // io_error
]);

/**
 * SQLSTATE classes (first two characters) of an unreachable server: 08 connection_exception,
 * 53 insufficient_resources (too_many_connections, disk_full, out_of_memory).
 */
const UNREACHABLE_POSTGRES_CLASSES: ReadonlySet<string> = new Set(['08', '53']);

/**
 * 57P: the server is ending the session or refuses new ones (admin_shutdown, crash_shutdown,
 * cannot_connect_now, database_dropped, idle_session_timeout). 57014 (query_canceled, e.g. a
 * server-side `statement_timeout`) is not one of them: the session lives on.
 */
const UNREACHABLE_POSTGRES_PREFIX = '57P';

/** SQLite extended result codes of a uniqueness rule (NOT NULL and CHECK are plain failures). */
const SQLITE_CONFLICT_CODES: ReadonlySet<string> = new Set([
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
]);

/**
 * SQLite primary result codes of a database that cannot be used now; each covers its extended
 * codes (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_SHORT_READ`, `SQLITE_CANTOPEN_ISDIR`,
 * `SQLITE_READONLY_DBMOVED`, ...).
 */
const UNREACHABLE_SQLITE_CODES: ReadonlySet<string> = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_PERM',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
]);

/** Node.js socket and name-resolution errnos of a server that cannot be reached. */
const UNREACHABLE_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOENT', // a Unix socket path (`host=/var/run/postgresql`) with no server behind it
]);

/**
 * Errors a driver throws without any code, by their exact message: the only messages read here.
 * Each is a fixed string in the named library's source (versions tested: better-sqlite3 12, pg 8
 * with pg-pool 3, Kysely 0.28); a library that rewords one makes it a plain `failed`, never a
 * wrong `conflict` or `schema`.
 */
const UNREACHABLE_MESSAGES: ReadonlySet<string> = new Set([
  // better-sqlite3, src/util/macros.cpp: any call on a handle after `close()` (a TypeError).
  'The database connection is not open',
  // better-sqlite3, lib/database.js: `new Database(file)` in a missing directory (a TypeError),
  // thrown inside a host's lazy `database` factory on first use.
  'Cannot open database because the directory does not exist',
  // Kysely, RuntimeDriver and PostgresDriver: a query after `db.destroy()`.
  'driver has already been destroyed',
  // pg, lib/client.js: a query on a client after `end()` / after its connection failed.
  'Client was closed and is not queryable',
  'Client has encountered a connection error and is not queryable',
  // pg, lib/client.js: the socket closed under a running query, unexpectedly or by `end()`.
  'Connection terminated unexpectedly',
  'Connection terminated',
  // pg, lib/client.js: the client-side `query_timeout` passed without an answer.
  'Query read timeout',
  // pg-pool: `connect()` after `pool.end()`; no client free or connected within
  // `connectionTimeoutMillis` (a pooled wait, or a new connection; the latter keeps a `cause`).
  'Cannot use a pool after calling end on the pool',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
]);

/** How many `cause` links are followed to find a code (wrappers such as a discarded pooled connection). */
const MAX_CAUSE_DEPTH = 4;

/**
 * Classifies a driver error by its code: the SQLite result code, the PostgreSQL SQLSTATE, or
 * the Node.js errno. An error without a code is known only by the exact messages of
 * {@link UNREACHABLE_MESSAGES}; a wrapper without either is classified by its `cause`.
 *
 * @internal
 */
export function classifyDriverFailure(error: unknown): DriverFailure {
  let link = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof link === 'object' && link !== null; depth++) {
    const code = driverCode(link);
    if (code !== undefined) return { kind: kindOfCode(code, link), code };
    if (UNREACHABLE_MESSAGES.has(messageOf(link))) return { kind: 'unreachable', code: undefined };
    link = (link as { cause?: unknown }).cause;
  }
  return { kind: 'failed', code: undefined };
}

/**
 * The driver's error code (`SQLITE_BUSY`, a SQLSTATE, `ECONNREFUSED`), when it has one.
 *
 * @internal
 */
export function driverCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
}

function kindOfCode(code: string, error: object): DriverFailureKind {
  if (code.startsWith('SQLITE_')) return sqliteKind(code, error);
  if (UNREACHABLE_ERRNOS.has(code)) return 'unreachable';
  if (code.length !== 5) return 'failed';
  const known = POSTGRES_CODES.get(code);
  if (known !== undefined) return known;
  const unreachable =
    UNREACHABLE_POSTGRES_CLASSES.has(code.slice(0, 2)) || code.startsWith(UNREACHABLE_POSTGRES_PREFIX);
  return unreachable ? 'unreachable' : 'failed';
}

function sqliteKind(code: string, error: object): DriverFailureKind {
  if (SQLITE_CONFLICT_CODES.has(code)) return 'conflict';
  // A primary code is one word: SQLITE_IOERR_SHORT_READ is an SQLITE_IOERR.
  const primary = code.split('_', 2).join('_');
  if (UNREACHABLE_SQLITE_CODES.has(primary)) return 'unreachable';
  if (code === 'SQLITE_ERROR' && isMissingSchemaObject(messageOf(error))) return 'schema';
  return 'failed';
}

/**
 * True for SQLite's own wording of a missing table or column. SQLite has no result code for
 * them: `no such table` is an `SQLITE_ERROR`, as are a syntax error and `cannot start a
 * transaction within a transaction`. So, for `SQLITE_ERROR` only, the message is read: the
 * prefixes are fixed strings in SQLite's source (`sqlite3LocateTable` in build.c: "no such
 * table: %s"; resolve.c: "no such column: %s"; insert.c: "table %S has no column named %s").
 */
function isMissingSchemaObject(message: string): boolean {
  return (
    message.startsWith('no such table: ') ||
    message.startsWith('no such column: ') ||
    (message.startsWith('table ') && message.includes(' has no column named '))
  );
}

function messageOf(error: object): string {
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}
