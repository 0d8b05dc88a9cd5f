import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** A child process spoken to in lines: commands on its stdin, answers on its stdout. */
export interface LineChild {
  /** The next line the child printed; rejects if the child exits first (with its stderr). */
  line(): Promise<string>;
  /** Writes `text` and a newline to the child's stdin. */
  send(text: string): void;
  /** Ends the child's stdin (the children then close and exit); resolves once it closed. */
  stop(): Promise<void>;
}

/**
 * Starts `node <file> ...args` in `cwd` and reads its stdout line by line, so tests with several
 * real processes (rate limits, change feeds, a fleet) can wait for each answer in turn.
 */
export function spawnLineChild(
  file: string,
  args: readonly string[],
  options: { cwd: string; label: string },
): LineChild {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [file, ...args], {
    cwd: options.cwd,
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  let stderr = '';
  let failExit: (error: Error) => void = () => undefined;
  const exited = new Promise<never>((_, reject) => {
    failExit = reject;
  });
  exited.catch(() => undefined); // observed through `line`
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const reader = waiting.shift();
      if (reader === undefined) lines.push(line);
      else reader(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<void>((resolve) => {
    child.once('close', (code) => {
      failExit(new Error(`${options.label} exited with ${code}: ${stderr}`));
      resolve();
    });
  });
  return {
    line() {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      return Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
    },
    send(text) {
      child.stdin.write(`${text}\n`);
    },
    stop() {
      child.stdin.end();
      return closed;
    },
  };
}
