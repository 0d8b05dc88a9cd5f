/** One route pattern: segments, `:name` segments capture a path parameter. @internal */
export interface RoutePattern {
  readonly method: string;
  readonly path: string;
}

/** How a path matched the route table. @internal */
export type RouteMatch<R> =
  | { readonly kind: 'route'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'wrong_method'; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

/** The decoded segments of a pathname, or `null` when it is malformed. */
function segmentsOf(pathname: string): string[] | null {
  if (!pathname.startsWith('/')) return null;
  const raw = pathname === '/' ? [] : pathname.slice(1).split('/');
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

/** The parameters captured by `pattern` on `segments`, or `null` when it does not match. */
function capture(pattern: readonly string[], segments: readonly string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) {
      if (segment === '') return null;
      params[part.slice(1)] = segment;
    } else if (part !== segment) return null;
  }
  return params;
}

/**
 * Matches `method` and `pathname` (relative to the base path) against `routes`: the route and
 * its parameters, the methods the path accepts (405), or nothing (404).
 *
 * @internal
 */
export function matchRoute<R extends RoutePattern>(
  routes: readonly R[],
  method: string,
  pathname: string,
): RouteMatch<R> {
  const segments = segmentsOf(pathname);
  if (segments === null) return { kind: 'none' };
  const allow: string[] = [];
  for (const route of routes) {
    const params = capture(route.path.slice(1).split('/'), segments);
    if (params === null) continue;
    if (route.method === method) return { kind: 'route', route, params };
    allow.push(route.method);
  }
  return allow.length === 0 ? { kind: 'none' } : { kind: 'wrong_method', allow };
}
