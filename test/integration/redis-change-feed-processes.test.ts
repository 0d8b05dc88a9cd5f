import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisChangeFeed } from '../../adapters/redis/index.js';
import type { StorageChange } from '../../src/storage/change-feed.js';
import { recordChangeFeed } from '../support/change-feed-recorder.js';
import { bundleWorker, type WorkerBundle } from './fixtures/worker-bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const redisUrl = inject('redisUrl');

/** Changes the child publishes, one batch each, and the most each may take to arrive. */
const BATCHES = 200;
const DEADLINE_MS = 100;

/** The child (fixtures/redis-change-child.ts): one line in, one batch published, one line out. */
function startChild(file: string, url: string, channel: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [file, url, channel], { cwd: ROOT });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = once(child, 'close').then(([code]) => {
    throw new Error(`the child exited with ${code}: ${stderr}`);
  });
  exited.catch(() => undefined); // observed through `next`
  const next = async (): Promise<string> => {
    const line = await Promise.race([lines.next(), exited]);
    return line.done === true ? '' : line.value;
  };
  return {
    next,
    publish(changes: readonly StorageChange[]) {
      child.stdin.write(`${JSON.stringify(changes)}\n`);
    },
    async stop() {
      child.stdin.end();
      await once(child, 'close');
    },
  };
}

// Skipped only without a Redis server, like the conformance run (see rate-limiter-redis.test.ts).
describe.runIf(redisUrl !== null)('Redis change feed across two processes', () => {
  let bundle: WorkerBundle | undefined;
  beforeAll(async () => {
    bundle = await bundleWorker(new URL('./fixtures/redis-change-child.ts', import.meta.url));
  });
  afterAll(() => bundle?.remove());

  it(`delivers every batch another process publishes, each within ${DEADLINE_MS} ms`, async () => {
    const channel = `test:${randomUUID()}`;
    const client = new Redis(redisUrl as string);
    const feed = redisChangeFeed({ client, channel });
    const seen = recordChangeFeed(() => feed);
    await feed.start(seen);
    const child = startChild((bundle as WorkerBundle).file, redisUrl as string, channel);
    try {
      expect(await child.next()).toBe('ready');
      const latencies: number[] = [];
      for (let index = 0; index < BATCHES; index++) {
        const batch: StorageChange[] = [
          { kind: index % 2 === 0 ? 'key' : 'account', id: `id_${index}` },
          { kind: 'key', id: `extra_${index}` },
        ];
        // From before the child is even told: an upper bound of publish-to-delivery.
        const sent = performance.now();
        child.publish(batch);
        await seen.until(() => seen.events.length === index + 1, `batch ${index}`, 5_000);
        expect(await child.next()).toBe('published');
        const event = seen.events[index];
        expect(event).toEqual({ type: 'changed', changes: batch, at: expect.any(Number) });
        latencies.push((event?.at ?? Number.POSITIVE_INFINITY) - sent);
      }
      latencies.sort((a, b) => a - b);
      console.log(
        `redis change feed across processes: p50 ${latencies[BATCHES / 2]?.toFixed(2)} ms, ` +
          `max ${latencies.at(-1)?.toFixed(2)} ms over ${BATCHES} batches`,
      );
      expect(latencies.filter((latency) => latency > DEADLINE_MS)).toEqual([]);
      expect(seen.events.every((event) => event.type === 'changed')).toBe(true);
    } finally {
      await child.stop();
      await feed.stop();
      await client.quit();
    }
  });
});
