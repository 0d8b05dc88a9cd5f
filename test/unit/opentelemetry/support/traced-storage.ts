import type { Tracer } from '@opentelemetry/api';
import type { StorageAdapter } from '../../../../src/storage/storage-adapter.js';

/**
 * A storage adapter whose every method runs in an active `storage <method>` span, as a
 * database driver's own instrumentation would make: what the nesting tests look for under
 * keyward's spans. The adapter underneath is unchanged and real.
 */
export function tracedStorage(storage: StorageAdapter, tracer: Tracer): StorageAdapter {
  return new Proxy(storage, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) =>
        tracer.startActiveSpan(`storage ${property}`, (span) => {
          let answer: unknown;
          try {
            answer = (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (error) {
            span.end();
            throw error;
          }
          if (answer instanceof Promise) return answer.finally(() => span.end());
          span.end();
          return answer;
        });
    },
  });
}
