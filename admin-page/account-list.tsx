import { useEffect, useRef, useState } from 'preact/hooks';
import { query } from './api-client';
import type { Page, ServiceAccount } from './api-types';
import { type Route, useApp } from './app-context';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { routeHref } from './route';

/**
 * The sidebar: the workspace's service accounts (a link each, "Load more" while the API has
 * more), "Add account", and "My API keys" for a person.
 *
 * @example
 * ```tsx
 * <AccountList revision={revision} route={route} />
 * ```
 */
export function AccountList(props: { readonly revision: number; readonly route: Route }) {
  const { api, me, workspaceId, navigate } = useApp();
  const [accounts, setAccounts] = useState<readonly ServiceAccount[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const selectedId = props.route.screen === 'account' ? props.route.id : null;

  // Each list (a workspace, a revision) has a generation: pages that arrive for an older one are dropped.
  const generation = useRef(0);
  const shownWorkspace = useRef(workspaceId);
  const load = async (after: string | null) => {
    const asked = generation.current;
    const path = `/service-accounts${query({ workspaceId, limit: 50, cursor: after ?? undefined })}`;
    const page = await api.call<Page<ServiceAccount>>('GET', path);
    if (asked !== generation.current) return;
    if (!page.ok) return setProblem(page.problem);
    setProblem(null);
    setAccounts((shown) => (after === null ? page.value.items : [...(shown ?? []), ...page.value.items]));
    setCursor(page.value.nextCursor);
  };
  useEffect(() => {
    generation.current += 1;
    if (shownWorkspace.current !== workspaceId) {
      shownWorkspace.current = workspaceId;
      setAccounts(null);
      setCursor(null);
    }
    void load(null);
  }, [workspaceId, props.revision]);

  return (
    <nav class="sidebar" aria-label="Service accounts">
      <div class="sidebar-head">
        <h2 class="sidebar-title">Service accounts</h2>
        <button type="button" class="primary small" onClick={() => navigate({ screen: 'new' })}>
          Add account
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {accounts === null ? <p class="muted">Loading…</p> : null}
      {accounts?.length === 0 ? <p class="muted">No service accounts yet.</p> : null}
      <ul class="account-links">
        {accounts?.map((account) => (
          <li key={account.id}>
            <a
              href={routeHref({ screen: 'account', id: account.id })}
              aria-current={selectedId === account.id ? 'page' : undefined}
            >
              {account.name}
            </a>
            {account.status === 'disabled' ? <span class="badge">Disabled</span> : null}
          </li>
        ))}
      </ul>
      {cursor === null ? null : (
        <button type="button" class="secondary small" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
      {me.type === 'user' ? (
        <p class="sidebar-foot">
          <a
            href={routeHref({ screen: 'my-keys' })}
            aria-current={props.route.screen === 'my-keys' ? 'page' : undefined}
          >
            My API keys
          </a>
        </p>
      ) : null}
    </nav>
  );
}
