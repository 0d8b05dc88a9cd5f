/**
 * The Hono example on Node: `npx tsx examples/hono/server.ts` (PORT, default 3000). On Bun or
 * Deno, serve `app.fetch` instead. Embedded SQLite by default, PostgreSQL when DATABASE_URL is set.
 */
import { serve } from '@hono/node-server';
import { DemoSessions } from '../shared/demo-platform.js';
import { openKeyward } from '../shared/open-keyward.js';
import { createHonoApp } from './app.js';

const { kw, dialect, close } = await openKeyward({
  databaseUrl: process.env.DATABASE_URL,
  sqlitePath: process.env.KEYWARD_SQLITE_PATH,
});
const port = Number(process.env.PORT ?? 3000);
const url = `http://127.0.0.1:${port}`;
const app = createHonoApp(kw, new DemoSessions(), url);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`keyward Hono example on ${url} over ${dialect}; see examples/README.md`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => void close()));
}
