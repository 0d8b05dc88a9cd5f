import { useEffect, useMemo, useState } from 'preact/hooks';
import { AccountDetails } from './account-details';
import { AccountForm } from './account-form';
import { AccountList } from './account-list';
import { createApiClient, query, segment } from './api-client';
import type { Catalog, DirectoryEntry, Me } from './api-types';
import { AppContext, type AppState } from './app-context';
import { PersonalKeys } from './personal-keys';
import type { Problem } from './problem';
import { ProblemAlert } from './problem-alert';
import { useRoute } from './route';
import { SignInRequired } from './sign-in-required';
import { WorkspacePicker } from './workspace-picker';

/** Props of {@link App}: what the server wrote on the mount element. */
export interface AppProps {
  /** The management API's base path (`/api/keyward`). */
  readonly apiBase: string;
  /** The page title, shown as its `<h1>`. */
  readonly title: string;
  /** Where a person signs in again after a 401, when the host gave one. */
  readonly signInUrl: string | null;
}

/**
 * The API management page: the caller and the workspace first, then the sidebar of accounts and
 * the screen the URL fragment names. Any 401 replaces it all with "Sign in required".
 */
export function App({ apiBase, title, signInUrl }: AppProps) {
  const [signedOut, setSignedOut] = useState(false);
  const api = useMemo(() => createApiClient(apiBase, () => setSignedOut(true)), [apiBase]);
  const [me, setMe] = useState<Me | null>(null);
  const [workspaces, setWorkspaces] = useState<readonly DirectoryEntry[] | null | undefined>(undefined);
  const [workspaceId, setWorkspaceId] = useState('');
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [datasets, setDatasets] = useState<readonly DirectoryEntry[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [revision, setRevision] = useState(0);
  const [route, navigate] = useRoute();

  useEffect(() => {
    void (async () => {
      const [who, listed] = await Promise.all([
        api.call<Me>('GET', '/me'),
        api.call<{ items: DirectoryEntry[] }>('GET', '/workspaces'),
      ]);
      if (!who.ok) return setProblem(who.problem);
      setMe(who.value);
      const list = listed.ok ? listed.value.items : null;
      setWorkspaces(list);
      const bound = who.value.workspaceIds?.[0];
      setWorkspaceId(list === null ? (bound ?? '') : (list[0]?.id ?? ''));
    })();
  }, [api]);

  useEffect(() => {
    if (workspaceId === '' || workspaces === undefined) return;
    setCatalog(null);
    // Answers for a workspace the person has since left are dropped, never shown for the new one.
    let current = true;
    void (async () => {
      const [roles, found] = await Promise.all([
        api.call<Catalog>('GET', `/catalog${query({ workspaceId })}`),
        workspaces === null
          ? Promise.resolve(null)
          : api.call<{ items: DirectoryEntry[] }>('GET', `/workspaces/${segment(workspaceId)}/datasets`),
      ]);
      if (!current) return;
      if (!roles.ok) return setProblem(roles.problem);
      setProblem(null);
      setCatalog(roles.value);
      setDatasets(found?.ok ? found.value.items : null);
    })();
    return () => {
      current = false;
    };
  }, [api, workspaceId, workspaces]);

  const chooseWorkspace = (next: string) => {
    setWorkspaceId(next);
    navigate({ screen: 'home' });
  };

  if (signedOut) {
    return (
      <div class="app">
        <Header title={title} />
        <SignInRequired signInUrl={signInUrl} />
      </div>
    );
  }
  const state: AppState | null =
    me === null || catalog === null
      ? null
      : {
          api,
          me,
          workspaceId,
          catalog,
          datasets,
          navigate,
          accountsChanged: () => setRevision((value) => value + 1),
        };
  return (
    <div class="app">
      <Header title={title}>
        {workspaces === undefined ? null : (
          <WorkspacePicker workspaces={workspaces} value={workspaceId} onChange={chooseWorkspace} />
        )}
      </Header>
      {state === null ? (
        <main class="main solo">
          <ProblemAlert problem={problem} />
          {problem === null && workspaceId === '' && workspaces !== undefined ? (
            <p>Enter the id of a workspace to manage its service accounts.</p>
          ) : problem === null ? (
            <p class="muted">Loading…</p>
          ) : null}
        </main>
      ) : (
        <AppContext.Provider value={state}>
          <div class="layout">
            <AccountList revision={revision} route={route} />
            <main class="main">
              {route.screen === 'new' ? <AccountForm /> : null}
              {route.screen === 'account' ? <AccountDetails key={route.id} id={route.id} /> : null}
              {route.screen === 'my-keys' ? <PersonalKeys /> : null}
              {route.screen === 'home' ? <Welcome /> : null}
            </main>
          </div>
        </AppContext.Provider>
      )}
    </div>
  );
}

/** The banner: the page title and, once known, the workspace picker. */
function Header({
  title,
  children,
}: {
  readonly title: string;
  readonly children?: preact.ComponentChildren;
}) {
  return (
    <header class="topbar">
      <h1>{title}</h1>
      {children}
    </header>
  );
}

/** What the main region shows before an account is chosen. */
function Welcome() {
  return (
    <section class="welcome">
      <h2>API access</h2>
      <p>
        Service accounts let other systems call this workspace with API keys. Choose an account on the left to
        see its keys, data sets and audit trail, or add one.
      </p>
    </section>
  );
}
