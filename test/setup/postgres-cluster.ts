import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from './free-port.js';
import type { PostgresBinaries } from './postgres-binaries.js';

const run = promisify(execFile);

/** The account the cluster runs as when we are root: PostgreSQL refuses to run as root. */
const UNPRIVILEGED_USER = 'nobody';

/** A throwaway PostgreSQL cluster. */
export interface PostgresCluster {
  /** Admin URL (superuser `postgres`, trust auth on 127.0.0.1). */
  readonly url: string;
  /** Milliseconds from `initdb` to a server accepting connections. */
  readonly startMs: number;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
  /**
   * Fault injection: `pg_ctl stop -m immediate` (every backend killed, no shutdown checkpoint,
   * like a crash), keeping the directory so that {@link PostgresCluster.restart} can start it again.
   */
  stopImmediately(): Promise<void>;
  /** Starts a stopped server again on the same port (crash recovery runs first). */
  restart(): Promise<void>;
  /**
   * Fault injection: SIGSTOP the postmaster and every process it forked (backends, checkpointer,
   * ...). The kernel still accepts TCP connections and buffers what clients send, but nothing
   * answers: a frozen server, as a stalled VM or a full disk can make it. Undone by
   * {@link PostgresCluster.thaw}; {@link PostgresCluster.stop} thaws first.
   */
  freeze(): Promise<void>;
  /** SIGCONT the processes {@link PostgresCluster.freeze} stopped. */
  thaw(): Promise<void>;
}

/** The command line that runs `program` as {@link UNPRIVILEGED_USER} when this process is root. */
function asServerUser(program: string, args: readonly string[]): [string, string[]] {
  const asRoot = process.getuid?.() === 0;
  return asRoot ? ['runuser', ['-u', UNPRIVILEGED_USER, '--', program, ...args]] : [program, [...args]];
}

/** Runs a program, as {@link UNPRIVILEGED_USER} when this process is root. */
function runAsServerUser(
  program: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  const [file, argv] = asServerUser(program, args);
  return run(file, argv, { timeout: 120_000, env: { ...process.env, LC_ALL: 'C' } });
}

/**
 * Stops the cluster when the test process exits without running the teardown (a crash, an
 * uncaught error): synchronously, as an `exit` listener must. Returns the way to disarm it.
 */
function stopOnExit(binaries: PostgresBinaries, dir: string, frozen: () => readonly number[]): () => void {
  const onExit = () => {
    signalAll(frozen(), 'SIGCONT'); // a stopped postmaster would never act on pg_ctl's signal
    try {
      const [file, argv] = asServerUser(binaries.pgCtl, [
        '-D',
        join(dir, 'data'),
        '-m',
        'immediate',
        '-w',
        'stop',
      ]);
      execFileSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return () => process.off('exit', onExit);
}

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

/** `pg_ctl start` on `port`, waiting until the server accepts connections. */
async function startOnPort(
  binaries: PostgresBinaries,
  dir: string,
  port: number,
  durable: boolean,
): Promise<void> {
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=300',
  ].join(' ');
  const args = [
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    options,
    'start',
  ];
  await runAsServerUser(binaries.pgCtl, args);
}

async function startServer(binaries: PostgresBinaries, dir: string, durable: boolean): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freeLoopbackPort();
    try {
      await startOnPort(binaries, dir, port, durable);
      return port;
    } catch (error) {
      lastError = error; // most likely the port was taken between probe and bind: try another
    }
  }
  throw lastError;
}

/** The postmaster's pid (first line of `postmaster.pid`) and the pids of the processes it forked. */
async function serverProcessIds(dir: string): Promise<number[]> {
  const postmaster = Number((await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(join('/proc', entry, 'stat'), 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) children.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return [postmaster, ...children];
}

/** Sends `signal` to every pid, ignoring those already gone. */
function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already exited.
    }
  }
}

/** What a test may do to a running cluster in `dir`, stopping it (and its directory) at exit. */
function serverControls(
  binaries: PostgresBinaries,
  dir: string,
  port: number,
  durable: boolean,
): Omit<PostgresCluster, 'url' | 'startMs'> {
  let frozen: readonly number[] = [];
  const disarm = stopOnExit(binaries, dir, () => frozen);
  const stopNow = () =>
    runAsServerUser(binaries.pgCtl, ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  const thaw = async () => {
    signalAll(frozen, 'SIGCONT');
    frozen = [];
  };
  return {
    async stop() {
      disarm();
      await thaw();
      await stopNow().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    async stopImmediately() {
      await stopNow();
    },
    restart: () => startOnPort(binaries, dir, port, durable),
    async freeze() {
      const pids = await serverProcessIds(dir);
      frozen = [...frozen, ...pids];
      signalAll(pids, 'SIGSTOP');
    },
    thaw,
  };
}

/** Options of {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /**
   * Keep PostgreSQL's durability settings. By default `fsync`, `synchronous_commit` and
   * `full_page_writes` are off (fast, tests only), and then `pg_ctl stop -m immediate` loses the
   * last commits, a table just created included: a test that crashes the server wants this on.
   */
  readonly durable?: boolean | undefined;
}

/**
 * Creates a cluster in a fresh temp directory (`initdb -A trust -U postgres`), starts it on a
 * free loopback port with durability off unless `options.durable` (tests only), and returns its
 * admin URL. Runs the server as `nobody` when this process is root.
 */
export async function startPostgresCluster(
  binaries: PostgresBinaries,
  options: PostgresClusterOptions = {},
): Promise<PostgresCluster> {
  const durable = options.durable === true;
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'keyward-pg-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = await userIds(UNPRIVILEGED_USER);
      await chown(dir, uid, gid);
    }
    const initArgs = ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'];
    await runAsServerUser(binaries.initdb, [...initArgs, '--locale=C']);
    const port = await startServer(binaries, dir, durable);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      startMs: performance.now() - started,
      ...serverControls(binaries, dir, port, durable),
    };
  } catch (error) {
    await removeDir();
    throw error;
  }
}
