/**
 * The Express example: `npx tsx examples/express/server.ts` (PORT, default 3000).
 * Embedded SQLite by default (KEYWARD_SQLITE_PATH), PostgreSQL when DATABASE_URL is set.
 */
import { DemoSessions } from '../shared/demo-platform.js';
import { openKeyward } from '../shared/open-keyward.js';
import { createExpressApp } from './app.js';

const { kw, dialect, close } = await openKeyward({
  databaseUrl: process.env.DATABASE_URL,
  sqlitePath: process.env.KEYWARD_SQLITE_PATH,
});
const port = Number(process.env.PORT ?? 3000);
const url = `http://127.0.0.1:${port}`;
const server = createExpressApp(kw, new DemoSessions(), url).listen(port, '127.0.0.1', () => {
  console.log(`keyward Express example on ${url} over ${dialect}; see examples/README.md`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => void close()));
}
