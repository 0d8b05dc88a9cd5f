import { useEffect, useState } from 'preact/hooks';
import { query, segment } from './api-client';
import type { ApiKeyInfo, AuditEvent, Page } from './api-types';
import { useApp } from './app-context';
import { actionWords } from './audit-words';
import { formatInstant } from './dates';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { ScrollRegion } from './scroll-region';

/** How many events of the account and of each of its keys the trail reads. */
const EVENTS_PER_TARGET = 50;

/**
 * The "Audit trail" of an account: who did what and when, to the account and to its keys,
 * refused attempts included (with their count), newest first. `revision` reloads it after a change.
 */
export function AuditTrail(props: { readonly accountId: string; readonly revision: number }) {
  const { api } = useApp();
  const [events, setEvents] = useState<readonly AuditEvent[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    void (async () => {
      const keys = await api.call<Page<ApiKeyInfo>>(
        'GET',
        `/service-accounts/${segment(props.accountId)}/keys${query({ limit: 100 })}`,
      );
      const targets = [props.accountId, ...(keys.ok ? keys.value.items.map((key) => key.id) : [])];
      const pages = await Promise.all(
        targets.map((targetId) =>
          api.call<Page<AuditEvent>>('GET', `/audit${query({ targetId, limit: EVENTS_PER_TARGET })}`),
        ),
      );
      const refused = pages.find((page) => !page.ok);
      if (refused !== undefined && !refused.ok) return setProblem(refused.problem);
      const all = pages.flatMap((page) => (page.ok ? page.value.items : []));
      setEvents(all.sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
    })();
  }, [api, props.accountId, props.revision]);

  return (
    <section class="panel" aria-labelledby="audit-title">
      <h3 id="audit-title">Audit trail</h3>
      <ProblemAlert problem={problem} />
      {events === null ? null : events.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <ScrollRegion label="Audit trail">
          <table class="table">
            <caption class="visually-hidden">Audit trail</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id} class={event.outcome === 'denied' ? 'denied' : undefined}>
                  <td>{formatInstant(event.createdAt)}</td>
                  <td>{actorWords(event.actor)}</td>
                  <td>
                    {actionWords(event.action)}
                    {event.target.type === 'api_key' && event.target.id !== null ? (
                      <span class="hint">
                        {' '}
                        <code>{event.target.id}</code>
                      </span>
                    ) : null}
                  </td>
                  <td>{outcomeWords(event)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

/** Who acted: a person, an API key, or keyward itself. */
function actorWords(actor: AuditEvent['actor']): string {
  if (actor.type === 'user') return actor.id;
  if (actor.type === 'key') return `API key ${actor.id}`;
  return `keyward (${actor.id.replace('_', ' ')})`;
}

/** Success, or the refusal with its reason, and how many times for batched refusals. */
function outcomeWords(event: AuditEvent): string {
  if (event.outcome === 'success') return event.reason === null ? 'Success' : `Success (${event.reason})`;
  const count = event.after?.count;
  const times =
    typeof count === 'number' && count > 1 ? `, ${count} times` : typeof count === 'number' ? ', once' : '';
  return `Denied: ${event.reason ?? 'refused'}${times}`;
}
