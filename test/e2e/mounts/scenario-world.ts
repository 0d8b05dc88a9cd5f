import { kyselyAdapter, migrateToLatest } from '../../../adapters/kysely/index.js';
import type { RateLimitVerdict } from '../../../src/entries/http.js';
import { type Actor, createKeyward, type Keyward, type UserActor } from '../../../src/index.js';
import { openPostgres, openSqlite, tempSqliteDirectory } from '../../setup/sql-databases.js';

/** Where every mount serves the management API. */
export const BASE_PATH = '/api/keyward';

/** Where the scenario's clock starts; every request moves it one second on. */
export const SCENARIO_START = Date.UTC(2026, 2, 1, 9, 0, 0);

/** A clock the scenario moves, one per keyward instance. */
export interface ScenarioClock {
  now: number;
}

/** The people the stand-in `authenticate` knows, by the `x-test-user` header. */
export const PEOPLE: Readonly<Record<string, UserActor>> = {
  admin: { type: 'user', id: 'u_admin', tenantId: 't_acme', permissions: ['*'] },
  /** An admin of another tenant. */
  globex: { type: 'user', id: 'u_globex', tenantId: 't_globex', permissions: ['*'] },
  /** A person who may only read, in w_sales. */
  reader: {
    type: 'user',
    id: 'u_reader',
    tenantId: 't_acme',
    permissions: ['*:read', '*:list'],
    workspaceIds: ['w_sales'],
  },
  /** A person the host's limiter always refuses. */
  flooder: { type: 'user', id: 'u_flooder', tenantId: 't_acme', permissions: ['*'] },
  /** The admin who takes over the keys of an account (`reassignKeys`). */
  successor: { type: 'user', id: 'u_successor', tenantId: 't_acme', permissions: ['*'] },
};

/** The session header of the stand-in `authenticate`. */
export const SESSION_HEADER = 'x-test-user';

/** The stand-in `authenticate`: the person a session header names, or none. */
export function personOf(session: string | null | undefined): UserActor | null {
  return typeof session === 'string' && Object.hasOwn(PEOPLE, session) ? (PEOPLE[session] ?? null) : null;
}

/** The stand-in host limiter: refuses `u_flooder` for 30 seconds, lets everyone else through. */
export function limitOf(actor: Actor): RateLimitVerdict {
  return actor.type === 'user' && actor.id === 'u_flooder'
    ? { limited: true, retryAfterSeconds: 30 }
    : undefined;
}

/** Where sample code sends requests: fixed, so every mount answers the same sample. */
export const endpointsBaseUrl = (workspaceId: string) => `https://api.acme.test/workspaces/${workspaceId}`;

/** A keyward instance of the scenario, with its clock and what closes it. */
export interface ScenarioKeyward {
  readonly kw: Keyward;
  readonly clock: ScenarioClock;
  close(): Promise<void>;
}

/**
 * A fresh keyward for one mount: a new SQLite file, or a PostgreSQL database when `postgresUrl`
 * is given, migrated, with a clock the scenario moves.
 */
export async function openScenarioKeyward(postgresUrl?: string): Promise<ScenarioKeyward> {
  const clock: ScenarioClock = { now: SCENARIO_START };
  const dir = postgresUrl === undefined ? await tempSqliteDirectory() : undefined;
  const db = dir === undefined ? openPostgres(postgresUrl as string) : openSqlite(dir.file('keyward.db'));
  await migrateToLatest(db);
  const kw = createKeyward({
    storage: kyselyAdapter(db, { dialect: dir === undefined ? 'postgres' : 'sqlite' }),
    tokenPrefix: 'acme',
    clock: () => clock.now,
    // Who a reassignment may hand keys to: the people of the stand-in `authenticate`.
    resolveActor: async ({ id, tenantId }) =>
      Object.values(PEOPLE).find((person) => person.id === id && person.tenantId === tenantId) ?? null,
  });
  return {
    kw,
    clock,
    async close() {
      await kw.close();
      await db.destroy();
      await dir?.remove();
    },
  };
}
