import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';

/**
 * Counts the calls in progress on a keyward instance so that `close()` can stop taking new
 * ones and wait for those already running before storage goes away. Entering and leaving cost
 * an increment each: the request path pays nothing more.
 *
 * @internal
 */
export class InFlightWork {
  #active = 0;
  #closing = false;
  #idle: (() => void) | null = null;

  /** True once `close()` began: new calls are refused. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Calls in progress. */
  get active(): number {
    return this.#active;
  }

  /** Marks a call as started. Callers check {@link closing} first. */
  enter(): void {
    this.#active++;
  }

  /** Marks a call as settled (from a `finally`). */
  leave(): void {
    this.#active--;
    if (this.#active === 0 && this.#idle !== null) this.#idle();
  }

  /** Runs `work` as one call, or rejects with `STORAGE_UNAVAILABLE` once closing. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closing) throw closedError();
    this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  /**
   * Refuses new calls from now on and waits until the running ones settled, or `timeoutMs`
   * passed. Resolves with the number still running (0 when drained).
   */
  async drain(timeoutMs: number): Promise<number> {
    this.#closing = true;
    if (this.#active === 0) return 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#idle = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    this.#idle = null;
    return this.#active;
  }
}

/** What a call made after `close()` meets. @internal */
export function closedError(): KeywardError {
  return new KeywardError(ERROR_CODES.STORAGE_UNAVAILABLE, 'This keyward instance is closed');
}
