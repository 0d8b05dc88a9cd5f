/**
 * The page's only way to the management API: same-origin `fetch`, JSON in and out, and every
 * answer as a value (`ok` with the body and its `ETag`, or a {@link Problem}), never a throw.
 *
 * @packageDocumentation
 */
import { networkProblem, type Problem, toProblem } from './problem';

/** What one call gave: the body and its `ETag`, or the problem. */
export type ApiResult<T> =
  | { readonly ok: true; readonly value: T; readonly etag: string | null }
  | { readonly ok: false; readonly problem: Problem };

/** Options of one call. */
export interface CallOptions {
  /** A JSON body (sent as `application/json`). */
  readonly body?: unknown;
  /** The `If-Match` header: the `ETag` of the account the write expects. */
  readonly ifMatch?: string | undefined;
}

/** A client of the management API mounted at one base path. */
export interface ApiClient {
  /**
   * Calls `method path` (relative to the API's base path, with its query).
   *
   * @example
   * ```ts
   * const page = await api.call<Page<ServiceAccount>>('GET', `/service-accounts${query({ workspaceId })}`);
   * if (page.ok) show(page.value.items);
   * ```
   */
  call<T>(method: string, path: string, options?: CallOptions): Promise<ApiResult<T>>;
}

/**
 * A client of the API at `base` (e.g. `/api/keyward`). `onUnauthenticated` runs on every 401, so
 * the page can ask the person to sign in again.
 */
export function createApiClient(base: string, onUnauthenticated: () => void): ApiClient {
  return {
    async call<T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResult<T>> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
      let response: Response;
      try {
        response = await fetch(base + path, {
          method,
          headers,
          credentials: 'same-origin',
          cache: 'no-store',
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        });
      } catch {
        return { ok: false, problem: networkProblem() };
      }
      const body = await readJson(response);
      if (!response.ok) {
        if (response.status === 401) onUnauthenticated();
        return { ok: false, problem: toProblem(response.status, body) };
      }
      return { ok: true, value: body as T, etag: response.headers.get('etag') };
    },
  };
}

/** The JSON body of an answer, or `undefined` when it has none (204) or is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A query string of the defined values, with its `?` (empty when none).
 *
 * @example
 * ```ts
 * query({ workspaceId: 'w_sales', cursor: undefined }); // '?workspaceId=w_sales'
 * ```
 */
export function query(values: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A path segment, percent-encoded. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
