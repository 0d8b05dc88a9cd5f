/**
 * Starts the Express example: `npx tsx examples/express/server.ts`.
 * Embedded SQLite by default (KEYWARD_SQLITE_PATH), PostgreSQL when DATABASE_URL is set.
 */
import type { AddressInfo } from 'node:net';
import { createExampleApi } from '../shared/example-api.js';
import { openExampleKeyward } from '../shared/example-keyward.js';
import { serverSettings, startupBanner } from '../shared/server-settings.js';
import { createExpressApp } from './app.js';

const settings = serverSettings();
const { kw, dialect, close } = await openExampleKeyward(settings);
const server = createExpressApp(createExampleApi({ kw })).listen(settings.port, settings.host, () => {
  const { port } = server.address() as AddressInfo;
  console.log(startupBanner('express', `http://${settings.host}:${port}`, dialect));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => void close()));
}
