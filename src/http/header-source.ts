/**
 * Where request headers come from. Three shapes are read, from most to least precise:
 *
 * - a flat `[name, value, name, value, ...]` list, as Node's `IncomingMessage.rawHeaders`: every
 *   occurrence of a header is kept, so a repeated header is always seen;
 * - a Web `Headers` object (Fetch API, Bun, Deno, edge runtimes): repeated headers arrive joined
 *   by `", "`, which the credential rules also refuse;
 * - a plain record, as Node's `IncomingMessage.headers`: Node keeps only the first `Authorization`
 *   of a request, so prefer `rawHeaders` where it exists.
 *
 * @example
 * ```ts
 * extractCredential({ headers: req.rawHeaders, url: req.url });       // Node, Express, Fastify
 * extractCredential({ headers: request.headers, url: request.url }); // Fetch API
 * ```
 */
export type HeaderSource =
  | readonly string[]
  | {
      /** The header's value, repeated occurrences joined by `", "`; `null` when absent. */
      get(name: string): string | null;
    }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** True when `source` is a Web `Headers`-like object. */
function isHeadersLike(source: HeaderSource): source is { get(name: string): string | null } {
  return typeof (source as { get?: unknown }).get === 'function';
}

/**
 * Every value of header `name` (lowercase) in `source`, in arrival order; `[]` when absent.
 *
 * @internal
 */
export function headerValues(source: HeaderSource, name: string): string[] {
  if (Array.isArray(source)) {
    const values: string[] = [];
    for (let i = 0; i + 1 < source.length; i += 2) {
      const key = source[i] as string;
      if (key.length === name.length && key.toLowerCase() === name) values.push(source[i + 1] as string);
    }
    return values;
  }
  if (isHeadersLike(source)) {
    const value = source.get(name);
    return value === null ? [] : [value];
  }
  const value = (source as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
