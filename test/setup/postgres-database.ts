import pg from 'pg';

/** A database of its own for one test file, on the server the global setup provided. */
export interface PostgresTestDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** Options of {@link createPostgresDatabase}. */
export interface PostgresDatabaseOptions {
  /**
   * Create the database with this ICU collation (e.g. `en-US`, where `a < B`), to prove the
   * schema orders ids bytewise whatever the database's locale.
   */
  readonly icuLocale?: string | undefined;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseName(label: string): string {
  const suffix = Math.random().toString(36).slice(2, 10);
  return `kw_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${suffix}`;
}

/**
 * Creates a fresh database named after `label` so test files run in parallel without sharing
 * tables. The server's user must be allowed to `CREATE DATABASE`.
 */
export async function createPostgresDatabase(
  adminUrl: string,
  label: string,
  options: PostgresDatabaseOptions = {},
): Promise<PostgresTestDatabase> {
  const name = databaseName(label);
  const locale =
    options.icuLocale === undefined
      ? ''
      : ` template template0 locale_provider icu icu_locale '${options.icuLocale.replace(/'/g, '')}' locale 'C.UTF-8'`;
  await withAdmin(adminUrl, (client) => client.query(`create database "${name}"${locale}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withAdmin(adminUrl, (client) => dropDatabase(client, name)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drops a database once its last connection is gone. pg's `pool.end()` resolves before its
 * sockets close, and `with (force)` would then hit clients that are still closing (they report
 * a FATAL 57P01 as an uncaught error), so wait for them, and force only as a last resort.
 */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      await client.query(`drop database if exists "${name}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006') throw error; // object_in_use
      await sleep(100);
    }
  }
  await client.query(`drop database if exists "${name}" with (force)`);
}
