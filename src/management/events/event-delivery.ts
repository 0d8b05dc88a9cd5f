import type { AuditedChange } from '../../entities/audited-change.js';
import type { InFlightWork } from '../../shutdown/in-flight-work.js';
import { eventOfAudit } from './event-of-audit.js';
import type { KeywardEvent } from './keyward-event.js';

/** The host's event handler (`KeywardConfig.onEvent`). */
export type OnKeywardEvent = (event: KeywardEvent) => void | Promise<void>;

/** What {@link EventDelivery} needs. @internal */
export interface EventDeliveryOptions {
  /** The host's handler; without one, nothing is built. */
  readonly onEvent: OnKeywardEvent | undefined;
  /** Where a throw or rejection of `onEvent` goes (`onBackgroundError`). */
  readonly onError: (error: unknown) => void;
  /** Counts each delivery as work in progress, so that `close()` waits for it. */
  readonly work: InFlightWork;
}

const DELIVERED: Promise<void> = Promise.resolve();

/**
 * Hands the events of every committed write to the host's `onEvent`: one call per event, made
 * at once after the commit and in the order the audit events were written, so calls follow
 * commit order. The write's caller waits until each of its calls settled; a throw or rejection
 * goes to `onError` and never fails the write. Calls are not queued behind each other: an async
 * handler may still be running when the next event arrives (and a handler may itself make
 * management calls without waiting on its own delivery). `createKeyward` hands it to the
 * management writes as their `AuditListener`.
 *
 * @internal
 */
export class EventDelivery {
  readonly #options: EventDeliveryOptions;

  constructor(options: EventDeliveryOptions) {
    this.#options = options;
  }

  committed(changes: readonly AuditedChange[]): Promise<void> {
    const { onEvent } = this.#options;
    if (onEvent === undefined) return DELIVERED;
    const deliveries: Promise<void>[] = [];
    for (const change of changes) {
      const event = eventOfAudit(change);
      if (event !== null) deliveries.push(this.#deliver(onEvent, event));
    }
    return deliveries.length === 0 ? DELIVERED : Promise.all(deliveries).then(() => undefined);
  }

  /** Calls `onEvent` now (its synchronous part runs before this returns) and settles once it did. */
  async #deliver(onEvent: OnKeywardEvent, event: KeywardEvent): Promise<void> {
    const { onError, work } = this.#options;
    work.enter();
    try {
      await onEvent(event);
    } catch (error) {
      try {
        onError(error);
      } catch {
        // The host's error hook failed too: nothing is left to tell, and the write stands.
      }
    } finally {
      work.leave();
    }
  }
}
