/**
 * Runs async tasks one at a time, in call order: a task starts only once the previous one has
 * settled. The memory adapter runs every transaction and every write through one queue, so
 * transactions never interleave and atomic rules (the key limit, versions) hold.
 *
 * @internal
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with its outcome. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.then(ignore, ignore);
    return result;
  }
}

function ignore(): undefined {
  return undefined;
}
