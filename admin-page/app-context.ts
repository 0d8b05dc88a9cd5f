/**
 * What every screen of the page shares: the API client, the caller, the chosen workspace and
 * what the page knows of it (catalog, data sets).
 *
 * @packageDocumentation
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api-client';
import type { Catalog, DirectoryEntry, Me } from './api-types';

/** The shared state of the page, once the caller and a workspace are known. */
export interface AppState {
  readonly api: ApiClient;
  readonly me: Me;
  readonly workspaceId: string;
  /** The roles and permissions the caller may give in the workspace. */
  readonly catalog: Catalog;
  /** The workspace's data sets from the host's directory, or `null` without a directory. */
  readonly datasets: readonly DirectoryEntry[] | null;
  /** Tells the sidebar that accounts were added, renamed or removed. */
  readonly accountsChanged: () => void;
  /** Shows another screen. */
  readonly navigate: (route: Route) => void;
}

/** A screen of the page: nothing chosen, the add form, an account, or the caller's own keys. */
export type Route =
  | { readonly screen: 'home' }
  | { readonly screen: 'new' }
  | { readonly screen: 'account'; readonly id: string }
  | { readonly screen: 'my-keys' };

/** The context holding {@link AppState}. */
export const AppContext = createContext<AppState | null>(null);

/** The page's shared state; only under the provider the app renders. */
export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error('useApp outside the admin page');
  return state;
}

/** The name of a data set, or its id when the directory does not know it. */
export function datasetName(datasets: readonly DirectoryEntry[] | null, id: string): string {
  return datasets?.find((dataset) => dataset.id === id)?.name ?? id;
}
