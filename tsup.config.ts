import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    policy: 'src/entries/policy.ts',
    keys: 'src/entries/keys.ts',
    http: 'src/entries/http.ts',
    schemas: 'src/entries/schemas.ts',
    storage: 'src/entries/storage.ts',
    node: 'adapters/node/index.ts',
    'adapters/memory': 'adapters/memory/index.ts',
    'adapters/kysely': 'adapters/kysely/index.ts',
    express: 'adapters/express/index.ts',
    fastify: 'adapters/fastify/index.ts',
    hono: 'adapters/hono/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm'],
  // Members tagged `@internal` stay out of the published declarations.
  dts: { compilerOptions: { stripInternal: true } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  splitting: true,
  external: ['kysely', 'express', 'fastify', 'fastify-plugin', 'hono', 'better-sqlite3', 'pg'],
});
