import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
function stopOnExit(binaries: PostgresBinaries, dir: string): () => void {
  const onExit = () => {
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

async function startServer(binaries: PostgresBinaries, dir: string): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freeLoopbackPort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
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
    try {
      await runAsServerUser(binaries.pgCtl, args);
      return port;
    } catch (error) {
      lastError = error; // most likely the port was taken between probe and bind: try another
    }
  }
  throw lastError;
}

/**
 * Creates a cluster in a fresh temp directory (`initdb -A trust -U postgres`), starts it on a
 * free loopback port with durability off (tests only), and returns its admin URL. Runs the
 * server as `nobody` when this process is root.
 */
export async function startPostgresCluster(binaries: PostgresBinaries): Promise<PostgresCluster> {
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
    const port = await startServer(binaries, dir);
    const disarm = stopOnExit(binaries, dir);
    const stop = async () => {
      disarm();
      await runAsServerUser(binaries.pgCtl, ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
      await removeDir();
    };
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      startMs: performance.now() - started,
      stop,
    };
  } catch (error) {
    await removeDir();
    throw error;
  }
}
