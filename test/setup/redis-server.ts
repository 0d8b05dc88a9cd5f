import { type ChildProcess, spawn } from 'node:child_process';
import { constants, rmSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freeLoopbackPort } from './free-port.js';

/** A throwaway Redis server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Milliseconds from spawn to the server answering `PING`. */
  readonly startMs: number;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

/** `redis-server` from PATH (Debian installs it in /usr/bin), or `null` when absent. */
export async function findRedisServer(): Promise<string | null> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    const path = join(dir, 'redis-server');
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** Whether a server on `port` answers `PING` with `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

/** Resolves once the server answers on `port`; rejects with its output when it exits first. */
async function untilReady(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited before answering:\n${output()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer within 30 s:\n${output()}`);
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `redis-server` on `port`, everything it may write kept in `dir`, nothing persisted. */
function spawnServer(
  program: string,
  dir: string,
  port: number,
): { child: ChildProcess; output: () => string } {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '');
  const child = spawn(program, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => keep(Buffer.from(`${error.message}\n`)));
  return { child, output: () => output };
}

/**
 * Starts `program` (a `redis-server`) on a free loopback port, in a fresh temp directory, with
 * no persistence (`--save '' --appendonly no`), as the current user. It is killed at process
 * exit if {@link RedisServer.stop} did not run.
 */
export async function startRedisServer(program: string): Promise<RedisServer> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'keyward-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    const { child, output } = spawnServer(program, dir, port);
    const onExit = () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', onExit);
    try {
      await untilReady(child, port, output);
    } catch (error) {
      lastError = error; // most likely the port was taken between probe and bind: try another
      process.off('exit', onExit);
      child.kill('SIGKILL');
      await stopped(child);
      continue;
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      startMs: performance.now() - started,
      async stop() {
        process.off('exit', onExit);
        child.kill('SIGTERM');
        await stopped(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}
