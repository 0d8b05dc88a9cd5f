import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { type AuditEvent, createKeyward, type Keyward, type UserActor } from '../../src/index.js';
import { describeEachSqlTarget } from '../integration/fixtures/sql-targets.js';
import { bundleWorker, type WorkerBundle } from '../integration/fixtures/worker-bundle.js';

/** Per writer process: lanes of concurrent lifecycle calls, iterations per lane (10 events each). */
const LANES = 2;
const ITERATIONS = 15;
/** The longest a writer's transaction stays open after writing an audit event. */
const MAX_HOLD_MS = 20;
/** How long the follower may take to receive what was committed once the writers are done. */
const DRAIN_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A writer process (fixtures/audit-follow-writer.ts), started, then released with `go`. */
interface WriterProcess {
  readonly ready: Promise<void>;
  /** The number of audit events it wrote, once it exited cleanly. */
  readonly done: Promise<number>;
  go(): void;
  kill(): void;
}

function startWriter(bundle: WorkerBundle, args: readonly string[]): WriterProcess {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bundle.file, ...args]);
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<number>((resolve, reject) => {
    child.once('close', (code) => {
      const written = /done (\d+)/.exec(stdout);
      if (code === 0 && written !== null) resolve(Number(written[1]));
      else reject(new Error(`writer exited with ${code}: ${stderr || stdout}`));
    });
  });
  // A writer that dies before `ready` fails the test through `done`, not a hang.
  const readyOrFailed = Promise.race([ready, done.then(() => undefined)]);
  return {
    ready: readyOrFailed,
    done,
    go: () => child.stdin.write('go\n'),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The exporter this issue asks for: `kw.audit.follow` from the last cursor. */
class Follower {
  readonly ids: string[] = [];
  /** Events received after one stamped later: a createdAt high-water mark would have lost them. */
  stampedEarlier = 0;
  #cursor: string | undefined;
  #newest = Number.NEGATIVE_INFINITY;

  constructor(
    readonly kw: Keyward,
    readonly actor: UserActor,
  ) {}

  /** One poll; true when it caught up. */
  async poll(): Promise<boolean> {
    const page = await this.kw.audit.follow(this.actor, { cursor: this.#cursor, limit: 100 });
    for (const event of page.items) this.#receive(event);
    this.#cursor = page.cursor;
    return page.caughtUp;
  }

  /** Polls until caught up with at least `count` events received (or the deadline). */
  async drain(count: number): Promise<void> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if ((await this.poll()) && this.ids.length >= count) return;
      await sleep(5);
    }
  }

  #receive(event: AuditEvent): void {
    this.ids.push(event.id);
    if (event.createdAt.getTime() < this.#newest) this.stampedEarlier++;
    this.#newest = Math.max(this.#newest, event.createdAt.getTime());
  }
}

/**
 * The exporter the issue found wanting: `kw.audit.list` newest first, down to the newest
 * `(createdAt, id)` it saw on its previous poll. Run alongside for comparison only.
 */
class HighWaterMarkPoller {
  readonly seen = new Set<string>();
  #mark: { readonly at: number; readonly id: string } | undefined;

  constructor(
    readonly kw: Keyward,
    readonly actor: UserActor,
  ) {}

  async poll(): Promise<void> {
    let cursor: string | undefined;
    let newest: { at: number; id: string } | undefined;
    for (;;) {
      const page = await this.kw.audit.list(this.actor, { cursor, limit: 100 });
      for (const event of page.items) {
        const at = event.createdAt.getTime();
        newest ??= { at, id: event.id };
        const mark = this.#mark;
        if (mark !== undefined && (at < mark.at || (at === mark.at && event.id <= mark.id))) {
          this.#mark = newest;
          return;
        }
        this.seen.add(event.id);
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    this.#mark = newest ?? this.#mark;
  }
}

/** Every event of the tenant, newest first, through `kw.audit.list`. */
async function listAll(kw: Keyward, actor: UserActor): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kw.audit.list(actor, { cursor, limit: 100 });
    ids.push(...page.items.map((event) => event.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return ids;
}

let bundle: WorkerBundle;
beforeAll(async () => {
  bundle = await bundleWorker(new URL('./fixtures/audit-follow-writer.ts', import.meta.url));
});
afterAll(async () => {
  await bundle?.remove();
});

describeEachSqlTarget('audit follow under two writer processes', (target) => {
  it('two writer processes with slow transactions interleaving: the follower receives every event exactly once', async () => {
    const database = await target.create('audit_follow');
    const writers: WriterProcess[] = [];
    try {
      const db = database.connect(2);
      await migrateToLatest(db);
      const kw = createKeyward({
        storage: kyselyAdapter(db, { dialect: target.dialect }),
        tokenPrefix: 'fault',
      });
      const tenantId = `t_follow_${target.dialect}`;
      const admin: UserActor = {
        type: 'user',
        id: 'u_exporter',
        tenantId,
        permissions: ['service_accounts:read'],
      };
      for (const name of ['a', 'b']) {
        const args = [target.dialect, database.location, tenantId, name, ITERATIONS, LANES, MAX_HOLD_MS];
        writers.push(startWriter(bundle, args.map(String)));
      }
      await Promise.all(writers.map((writer) => writer.ready));

      const follower = new Follower(kw, admin);
      const highWaterMark = new HighWaterMarkPoller(kw, admin);
      let writing = true;
      const finished = Promise.all(writers.map((writer) => writer.done)).finally(() => {
        writing = false;
      });
      finished.catch(() => undefined); // awaited below
      for (const writer of writers) writer.go();
      while (writing) {
        await follower.poll();
        await highWaterMark.poll();
        await sleep(2);
      }
      const written = (await finished).reduce((sum, count) => sum + count, 0);
      await follower.drain(written);
      await highWaterMark.poll();

      const all = await listAll(kw, admin);
      expect(all).toHaveLength(written);
      expect(follower.ids).toHaveLength(written);
      expect(new Set(follower.ids)).toEqual(new Set(all));
      // The run did commit events out of createdAt order: the fault this test is about happened.
      expect(follower.stampedEarlier, 'events committed after later-stamped ones').toBeGreaterThan(0);
      console.info(
        `${target.name}: ${written} events from 2 processes; follow received each once ` +
          `(${follower.stampedEarlier} after a later-stamped one); ` +
          `a createdAt high-water-mark poller missed ${written - highWaterMark.seen.size}`,
      );
    } finally {
      for (const writer of writers) writer.kill();
      await database.dispose();
    }
  }, 30_000);
});
