import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'adapters/node/index.ts',
    'adapters/memory': 'adapters/memory/index.ts',
    'adapters/kysely': 'adapters/kysely/index.ts',
    express: 'adapters/express/index.ts',
    fastify: 'adapters/fastify/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  splitting: true,
  external: ['kysely', 'express', 'fastify', 'fastify-plugin', 'better-sqlite3', 'pg'],
});
