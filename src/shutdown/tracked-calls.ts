import type { InFlightWork } from './in-flight-work.js';

/**
 * The same API object, with every method call counted as in-flight work (and refused once the
 * instance is closing), so `close()` waits for management calls in progress.
 *
 * @internal
 */
export function trackedCalls<T extends object>(api: T, work: InFlightWork): T {
  return new Proxy(api, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        work.run(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}
