/**
 * Starts the Fastify example: `npx tsx examples/fastify/server.ts`.
 * Embedded SQLite by default (KEYWARD_SQLITE_PATH), PostgreSQL when DATABASE_URL is set.
 */
import { createExampleApi } from '../shared/example-api.js';
import { openExampleKeyward } from '../shared/example-keyward.js';
import { serverSettings, startupBanner } from '../shared/server-settings.js';
import { createFastifyApp } from './app.js';

const settings = serverSettings();
const { kw, dialect, close } = await openExampleKeyward(settings);
const app = await createFastifyApp(createExampleApi({ kw }));
const url = await app.listen({ port: settings.port, host: settings.host });
console.log(startupBanner('fastify', url, dialect));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(close));
}
