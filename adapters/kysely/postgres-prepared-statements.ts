import type { PostgresPool, PostgresPoolClient } from 'kysely';
import {
  type DiscardablePostgresPool,
  postgresDiscardBrokenConnections,
} from './postgres-broken-connections.js';

/** Distinct statements named per pool; past this, queries run unnamed (planned each time). */
const DEFAULT_MAX_STATEMENTS = 500;

/**
 * Wraps a `pg` pool so that Kysely's `PostgresDialect` sends parameterized queries as named
 * prepared statements: each connection parses and plans a statement once and then only binds
 * parameters. keyward's request-path read is a join by two primary keys whose planning costs
 * more than its execution, so this roughly halves its server time. Queries without parameters
 * (transaction control, migrations) and cursors pass through unchanged.
 *
 * It includes {@link postgresDiscardBrokenConnections}: a connection whose query failed without
 * an answer from the server (pg's `query_timeout`, a broken socket) is closed, never reused
 * with a transaction still open on it.
 *
 * @example
 * ```ts
 * const pool = postgresPreparedStatements(new pg.Pool({ connectionString }));
 * const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
 * ```
 */
export function postgresPreparedStatements(
  pool: DiscardablePostgresPool,
  maxStatements = DEFAULT_MAX_STATEMENTS,
): PostgresPool {
  const discarding = postgresDiscardBrokenConnections(pool);
  const names = new Map<string, string>();
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < maxStatements) {
      name = `keyward_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
  const clients = new WeakMap<PostgresPoolClient, PostgresPoolClient>();
  return {
    end: () => discarding.end(),
    async connect(): Promise<PostgresPoolClient> {
      const client = await discarding.connect();
      let preparing = clients.get(client);
      if (preparing === undefined) {
        preparing = preparingClient(client, nameOf);
        clients.set(client, preparing);
      }
      return preparing;
    },
  };
}

/** `client`, sending each parameterized query under the name `nameOf` gives its text. */
function preparingClient(
  client: PostgresPoolClient,
  nameOf: (sql: string) => string | undefined,
): PostgresPoolClient {
  const query = ((sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
    if (typeof sqlOrCursor !== 'string' || parameters === undefined || parameters.length === 0) {
      return (client.query as (...args: unknown[]) => unknown)(sqlOrCursor, parameters);
    }
    const name = nameOf(sqlOrCursor);
    const values = [...parameters];
    const config = name === undefined ? { text: sqlOrCursor, values } : { name, text: sqlOrCursor, values };
    return (client.query as unknown as (config: object) => unknown)(config);
  }) as PostgresPoolClient['query'];
  return { query, release: () => client.release() };
}
