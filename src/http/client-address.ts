import type { KeyEnvironment } from '../entities/api-key.js';

/**
 * The client address of a request as a middleware hands it to the guard: the address itself, or
 * a function that finds it. A function is called at most once, and only when something needs the
 * address: a key or account with an IP allowlist, a failed-verification throttle that has seen a
 * failure, a verification observer that reads it. Express's `req.ip` parses `X-Forwarded-For`
 * under the app's `trust proxy` setting on every read: the valid key of a route without IP rules
 * should not pay for it.
 */
export type ClientAddress = string | (() => string | undefined);

/**
 * A request whose `ip` is found on first read and kept: a getter on the prototype, so `ip` reads
 * as a plain string (or `undefined`) wherever the request goes (verify, its observers, the
 * throttle).
 *
 * @internal
 */
export class LazyAddressRequest<R> {
  readonly action: string;
  readonly resource: R;
  readonly environments: readonly KeyEnvironment[] | undefined;
  readonly cost: number | undefined;
  #address: ClientAddress | undefined;
  #found = false;
  #ip: string | undefined;

  constructor(
    action: string,
    resource: R,
    address: ClientAddress | undefined,
    environments: readonly KeyEnvironment[] | undefined,
    cost: number | undefined,
  ) {
    this.action = action;
    this.resource = resource;
    this.environments = environments;
    this.cost = cost;
    this.#address = address;
  }

  /** The client address, asked of the middleware's function the first time it is read. */
  get ip(): string | undefined {
    if (!this.#found) {
      this.#found = true;
      const address = this.#address;
      this.#address = undefined;
      this.#ip = typeof address === 'function' ? address() : address;
    }
    return this.#ip;
  }
}
