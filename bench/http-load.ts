/**
 * The load generator the HTTP suites share: a server in a child process (pinned to CPU 1 when the
 * machine allows), keep-alive GETs from this process (pinned to CPU 0), and the server's own CPU
 * time per request, asked over the IPC channel around each load.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';

/** Connections per load (`HTTP_BENCH_CONCURRENCY`, default 32). */
export const CONCURRENCY = Number(process.env.HTTP_BENCH_CONCURRENCY ?? 32);

/**
 * Pins this process (the load generator) to CPU 0 when the machine has 2+ cores and `taskset`
 * (util-linux), unless `HTTP_BENCH_PIN=0`: then servers go to CPU 1 and the two no longer take
 * turns on one core, so requests/s measure the server as long as it needs more CPU per request
 * than the generator. Call it in the parent only.
 */
export function pinLoadGenerator(): boolean {
  if (process.env.HTTP_BENCH_PIN === '0' || availableParallelism() < 2) return false;
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  return pinned.status === 0;
}

/**
 * In a server process: answers the parent's `'cpu'` messages with this process's CPU time so far,
 * then sends `ready` (its port and token: over IPC, never stdout, so no token is printed).
 */
export function reportToParent(ready: { port: number; token: string }): void {
  process.on('SIGTERM', () => process.exit(0));
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const usage = process.cpuUsage();
    process.send?.({ cpuUs: usage.user + usage.system });
  });
  process.send?.(ready);
}

/** Starts `file --serve ...args` under tsx (on CPU 1 when `pinned`) and waits for its `{ port, token }`. */
export async function startServer(
  file: string,
  args: readonly string[],
  pinned: boolean,
): Promise<{ child: ChildProcess; port: number; token: string }> {
  const node = [process.execPath, '--import', 'tsx', file, '--serve', ...args];
  const [command, ...rest] = pinned ? ['taskset', '-c', '1', ...node] : node;
  const child = spawn(command as string, rest, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number; token: string }));
    child.once('exit', (code) =>
      reject(new Error(`bench server ${args.join(' ')} exited (${code}) before listening`)),
    );
  });
  return { child, ...ready };
}

/** The server process's CPU time so far (user + system, µs). */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const cpuUs = (message as { cpuUs?: unknown }).cpuUs;
      if (typeof cpuUs !== 'number') return;
      child.off('message', onMessage);
      resolve(cpuUs);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** One GET over the agent; resolves with the status once the body is drained. */
function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests/s on `path` with CONCURRENCY keep-alive connections for `seconds`, and the requests done. */
export async function load(
  port: number,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<{ rps: number; done: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const status = await get(agent, port, path, headers);
      if (status !== 200) throw new Error(`${path} answered ${status}`);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: Math.round(done / elapsed), done };
}

/** One load of `path` for `seconds`: requests/s, and the server's CPU µs per request over it. */
export async function measure(
  server: { child: ChildProcess; port: number },
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<{ rps: number; cpuUs: number }> {
  const before = await serverCpu(server.child);
  const { rps, done } = await load(server.port, path, headers, seconds);
  const cpuUs = (await serverCpu(server.child)) - before;
  return { rps, cpuUs: Math.round((cpuUs / Math.max(done, 1)) * 10) / 10 };
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
