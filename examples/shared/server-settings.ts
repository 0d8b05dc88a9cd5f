/** How an example server is started, from the environment. */
export interface ServerSettings {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly sqlitePath: string;
}

/**
 * Reads `PORT` (default 3000), `HOST` (default 127.0.0.1), `DATABASE_URL` (PostgreSQL when set)
 * and `KEYWARD_SQLITE_PATH` (default `keyward-example.sqlite`).
 */
export function serverSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError('PORT must be a port number');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    sqlitePath: env.KEYWARD_SQLITE_PATH ?? 'keyward-example.sqlite',
  };
}

/** What the servers print once listening (no secrets: the demo passwords are the example's own). */
export function startupBanner(framework: string, url: string, storage: string): string {
  return [
    `keyward example (${framework}) listening on ${url} over ${storage}`,
    `  log in:  curl -s -X POST ${url}/login -H 'content-type: application/json' -d '{"user":"alice","password":"alice-demo-password"}'`,
    `  then:    send the session as "x-session: <session>" to /workspaces/w_sales/service-accounts`,
    `  keys:    send "Authorization: Bearer <token>" to /workspaces/w_sales/datasets/d_orders`,
  ].join('\n');
}
