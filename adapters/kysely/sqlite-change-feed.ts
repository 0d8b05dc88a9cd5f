import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type { ChangeFeed, ChangeFeedListener, StorageChange } from '../../src/storage/change-feed.js';
import { toStorageError } from './storage-error.js';

/** A prepared statement, the part of better-sqlite3's `Statement` the feed uses. */
export interface SqliteChangeFeedStatement {
  /** The first row (or, plucked, its first column), `undefined` when there is none. */
  get(...params: unknown[]): unknown;
  /** Every row (or, plucked, every first column). */
  all(...params: unknown[]): unknown[];
  /** Makes `get` and `all` return each row's first column only. */
  pluck(toggle?: boolean): SqliteChangeFeedStatement;
}

/**
 * The part of a better-sqlite3 `Database` the feed uses: keyward imports no driver, any handle
 * with this shape works.
 */
export interface SqliteChangeFeedDatabase {
  /** Compiles `source` once; the feed prepares three statements at `start`. */
  prepare(source: string): SqliteChangeFeedStatement;
  /** True while a transaction is open on the handle (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
}

/** Options of {@link sqliteChangeFeed}. */
export interface SqliteChangeFeedOptions {
  /**
   * A better-sqlite3 handle on the keyward database file (migrated to 0009 or later). The feed
   * only reads through it, synchronously; it never closes it. The host's own handle works (its
   * own commits are the caller's, which keyward evicts itself); a dedicated handle works too.
   */
  readonly database: SqliteChangeFeedDatabase;
  /**
   * How often the feed also looks for changes by itself, so they arrive without traffic: a
   * whole number of milliseconds from 1 to 60000, default 50. The timer never keeps the
   * process alive.
   */
  readonly pollIntervalMs?: number | undefined;
}

const DEFAULT_POLL_INTERVAL_MS = 50;

/** A row of `keyward_changes` as the feed reads it. */
interface ChangeRow {
  readonly seq: number | bigint;
  readonly kind: string;
  readonly id: string;
}

/**
 * The change feed of several processes sharing one SQLite file: every keyward write that
 * changes what verification reads also appends a row to `keyward_changes` in its own
 * transaction (migration 0009), and the feed reads the rows other connections committed.
 *
 * `sync()` is what makes it exact: keyward calls it before serving a cached read, and it runs
 * `PRAGMA data_version`, which moves only when another connection committed; only then does it
 * read the new rows and deliver them before returning. So a read served after another process's
 * commit of a revocation never finds the key cached. When nothing moved, `sync()` is that one
 * pragma: a read transaction's lock on the WAL index, a few microseconds (two `fcntl` calls and
 * an `fstat`); in rollback-journal mode it locks the file itself and costs several times more,
 * so use WAL. A timer (`pollIntervalMs`) delivers changes even when there is no traffic.
 *
 * Each process opens its own feed on its own handle. The handle keyward's Kysely instance uses
 * works: its own commits do not move `data_version`, and keyward evicts those itself. Several
 * keyward instances in one process on one handle each start their own feed: what one commits
 * reaches the others' feeds on that handle at once (`publish`), as `data_version` cannot tell them.
 *
 * A reader that fell behind the log's pruning (rows older than 10 minutes go) sees a jump in
 * `seq` and calls `gap()`: the cache is dropped. A failed read makes the feed not `live` until a
 * later read succeeds, which calls `gap()` first. While the handle is inside a transaction
 * (another request's write on the host's handle), what the feed reads is delivered but not taken
 * as read: it is read again after the transaction, as that transaction could still roll back.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteChangeFeed } from 'keyward/adapters/kysely';
 *
 * const sqlite = new Database('keyward.db', { timeout: 5 });
 * const changes = sqliteChangeFeed({ database: sqlite });
 * ```
 */
export function sqliteChangeFeed(options: SqliteChangeFeedOptions): ChangeFeed {
  return new SqliteChangeFeed(options.database, resolvePollInterval(options.pollIntervalMs));
}

/** The statements the feed runs, prepared once by `start`. */
interface FeedStatements {
  readonly dataVersion: SqliteChangeFeedStatement;
  readonly latestSeq: SqliteChangeFeedStatement;
  readonly changesAfter: SqliteChangeFeedStatement;
}

/**
 * The started feeds of each handle: a commit on a handle does not move that handle's own
 * `data_version`, so the instances sharing it hear of each other's changes through `publish`.
 */
const feedsOfHandle = new WeakMap<SqliteChangeFeedDatabase, Set<SqliteChangeFeed>>();

/** @internal */
class SqliteChangeFeed implements ChangeFeed {
  readonly name = 'sqlite';
  #live = false;
  /** A read failed: the next successful one calls `gap()` before the feed is live again. */
  #interrupted = false;
  #listener: ChangeFeedListener | undefined;
  #statements: FeedStatements | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The `data_version` the last complete read saw (a bigint if the handle reads safe integers). */
  #dataVersion: unknown = -1;
  /** The highest `seq` delivered and taken as read. */
  #lastSeq = 0;

  constructor(
    readonly database: SqliteChangeFeedDatabase,
    readonly pollIntervalMs: number,
  ) {}

  get live(): boolean {
    return this.#live;
  }

  async start(listener: ChangeFeedListener): Promise<void> {
    if (this.#listener !== undefined) throw new TypeError('sqliteChangeFeed: start() was already called');
    const { database } = this;
    try {
      const statements: FeedStatements = {
        dataVersion: database.prepare('PRAGMA data_version').pluck(),
        latestSeq: database.prepare('SELECT coalesce(max(seq), 0) FROM keyward_changes').pluck(),
        changesAfter: database.prepare(
          'SELECT seq, kind, id FROM keyward_changes WHERE seq > ? ORDER BY seq',
        ),
      };
      this.#listener = listener;
      this.#resume(statements);
      this.#statements = statements;
    } catch (error) {
      this.#listener = undefined;
      throw toStorageError(error); // STORAGE_SCHEMA when migration 0009 has not run
    }
    this.#timer = setInterval(() => this.#poll(), this.pollIntervalMs);
    this.#timer.unref?.();
    const sharing = feedsOfHandle.get(database) ?? new Set<SqliteChangeFeed>();
    sharing.add(this);
    feedsOfHandle.set(database, sharing);
  }

  /**
   * After one of this instance's commits: tells the other feeds started on the same handle,
   * before returning (their instances cannot see it in `data_version`). Other handles, in this
   * process or another, see it there.
   */
  async publish(changes: readonly StorageChange[]): Promise<void> {
    for (const other of feedsOfHandle.get(this.database) ?? []) {
      if (other !== this) other.#listener?.changed(changes);
    }
  }

  sync(): void {
    const statements = this.#statements;
    if (statements === undefined) return;
    try {
      if (this.#interrupted) {
        this.#resume(statements);
        return;
      }
      const version = statements.dataVersion.get();
      if (version === this.#dataVersion) return;
      this.#readChanges(statements, version);
    } catch {
      // The file cannot be read now (busy past the handle's timeout, gone, closed): serve
      // nothing cached until a read succeeds, then start over with a gap.
      this.#live = false;
      this.#interrupted = true;
    }
  }

  async stop(): Promise<void> {
    feedsOfHandle.get(this.database)?.delete(this);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#statements = undefined;
    this.#listener = undefined;
    this.#live = false;
  }

  /**
   * The timer: `sync()`, then take this handle's own committed rows as read. When `data_version`
   * has not moved since the last complete read, no other connection committed, so every row up
   * to the end read just before is this handle's own: skipping them keeps the feed's position
   * within the retained log, so that pruning them later is not taken for a gap.
   */
  #poll(): void {
    this.sync();
    const statements = this.#statements;
    if (statements === undefined || this.#interrupted || this.database.inTransaction) return;
    try {
      const latest = Number(statements.latestSeq.get());
      if (latest > this.#lastSeq && statements.dataVersion.get() === this.#dataVersion)
        this.#lastSeq = latest;
    } catch {
      // The next sync() meets the failure again and reports it.
    }
  }

  /** Delivers the rows after `#lastSeq`; a jump in `seq` (pruned rows) is a gap. */
  #readChanges(statements: FeedStatements, version: unknown): void {
    const listener = this.#listener as ChangeFeedListener;
    const provisional = this.database.inTransaction;
    const latest = Number(statements.latestSeq.get());
    if (latest < this.#lastSeq) {
      // The log went back (the file was replaced or restored): nothing read before holds.
      this.#gap(statements);
      return;
    }
    const rows = latest === this.#lastSeq ? [] : (statements.changesAfter.all(this.#lastSeq) as ChangeRow[]);
    let expected = this.#lastSeq + 1;
    const changes: StorageChange[] = [];
    for (const { seq, kind, id } of rows) {
      if (Number(seq) !== expected) {
        this.#gap(statements);
        return;
      }
      expected += 1;
      changes.push({ kind: kind === 'k' ? 'key' : 'account', id });
    }
    if (changes.length > 0) listener.changed(changes);
    // Inside a transaction, rows may be this handle's own and not committed yet: read them again
    // once it has ended (an extra eviction is harmless; a rolled-back `seq` is reused).
    if (provisional) return;
    this.#lastSeq = expected - 1;
    this.#dataVersion = version;
  }

  /** Drops everything: `gap()`, then live again from the log's current end. */
  #gap(statements: FeedStatements): void {
    this.#live = false;
    this.#interrupted = true;
    (this.#listener as ChangeFeedListener).gap();
    this.#resume(statements, false);
  }

  /**
   * Takes the log's current end as read and turns live; after an interruption `gap()` comes
   * first (unless the caller just called it). Inside a transaction the end may hold rows that
   * roll back: the feed stays interrupted until the transaction has ended.
   */
  #resume(statements: FeedStatements, gapFirst = this.#interrupted): void {
    const version = statements.dataVersion.get();
    const latest = Number(statements.latestSeq.get());
    if (gapFirst) (this.#listener as ChangeFeedListener).gap();
    if (this.database.inTransaction) {
      this.#live = false;
      this.#interrupted = true;
      return;
    }
    this.#dataVersion = version;
    this.#lastSeq = latest;
    this.#interrupted = false;
    this.#live = true;
  }
}

function resolvePollInterval(value: unknown): number {
  if (value === undefined) return DEFAULT_POLL_INTERVAL_MS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 60_000) return value;
  const message = 'Expected pollIntervalMs to be a whole number of milliseconds from 1 to 60000';
  throw new KeywardError(ERROR_CODES.INVALID_CONFIG, message, {
    issues: [{ code: 'invalid_value', path: ['pollIntervalMs'], message }],
  });
}
