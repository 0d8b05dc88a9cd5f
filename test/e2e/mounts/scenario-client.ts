import { expect } from 'vitest';
import { createConformanceChecker } from '../../support/openapi-conformance.js';
import { BASE_PATH, type ScenarioClock, SESSION_HEADER } from './scenario-world.js';

/** A JSON body read loosely in assertions: the expectations check its shape at run time. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk JSON bodies whose shape they then check
export type LooseJson = Record<string, any>;

/** The answer headers the management API sets itself (the servers' own, such as `date`, left out). */
const API_HEADERS = [
  'content-type',
  'cache-control',
  'etag',
  'location',
  'allow',
  'retry-after',
  'www-authenticate',
];

/** One request of the scenario and its answer, as sent and received over HTTP. */
export interface Exchange {
  /** The scenario's name for the request. */
  readonly step: string;
  readonly method: string;
  /** The path and query under the base path, as sent. */
  readonly path: string;
  readonly status: number;
  /** The answer's {@link API_HEADERS} that are present. */
  readonly headers: Readonly<Record<string, string>>;
  /** The answer's body, as received. */
  readonly body: string;
  /** The body parsed as JSON (`{}` when empty). */
  readonly json: LooseJson;
}

/** Options of one request. */
export interface SendOptions {
  /** The stand-in session (`admin`, `globex`, `reader`, `flooder`), or `null` for none. Default `admin`. */
  readonly as?: string | null;
  /** A JSON value sent as `application/json` text. */
  readonly json?: unknown;
  /** A raw body, sent as it is. */
  readonly body?: string;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends the scenario's requests to one mount over real HTTP, moving its keyward clock one second
 * before each (so every run sees the same timestamps), records every exchange, and checks that
 * every answer conforms to the OpenAPI document the mount serves.
 */
export class ScenarioClient {
  readonly exchanges: Exchange[] = [];
  readonly #url: string;
  readonly #clock: ScenarioClock;
  readonly #check: ReturnType<typeof createConformanceChecker>;

  private constructor(url: string, clock: ScenarioClock, check: ReturnType<typeof createConformanceChecker>) {
    this.#url = url;
    this.#clock = clock;
    this.#check = check;
  }

  /** A client of the mount at `url`, checking answers against the document it serves. */
  static async open(url: string, clock: ScenarioClock): Promise<ScenarioClient> {
    const document = await (await fetch(`${url}${BASE_PATH}/openapi.json`)).json();
    return new ScenarioClient(url, clock, createConformanceChecker(document));
  }

  /** Sends one request (`path` under the base path) and records the exchange. */
  async send(step: string, method: string, path: string, options: SendOptions = {}): Promise<Exchange> {
    this.#clock.now += 1000;
    const headers: Record<string, string> = { ...options.headers };
    const as = options.as === undefined ? 'admin' : options.as;
    if (as !== null) headers[SESSION_HEADER] = as;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.#url}${BASE_PATH}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const answerHeaders: Record<string, string> = {};
    for (const name of API_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) answerHeaders[name] = value;
    }
    const exchange: Exchange = {
      step,
      method,
      path,
      status: response.status,
      headers: answerHeaders,
      body: text,
      json: text === '' ? {} : (JSON.parse(text) as LooseJson),
    };
    this.exchanges.push(exchange);
    const errors = this.#check({
      method,
      path: `${BASE_PATH}${path}`,
      status: exchange.status,
      contentType: answerHeaders['content-type'] ?? null,
      body: text === '' ? undefined : exchange.json,
    });
    expect(errors, `${step}: ${method} ${path} conforms to the OpenAPI document`).toEqual([]);
    return exchange;
  }
}

/** Generated values: tokens and key starts (`acme_<keyId>_...`), account and audit event ids. */
const GENERATED = /acme_[0-9A-Za-z]{16}_[0-9A-Za-z]+|(?:sa|ev)_[0-9A-Za-z]{16}/g;

/** The values of `nextCursor` / `cursor` members anywhere in `json`. */
function cursorsOf(json: unknown, found: Set<string>): void {
  if (Array.isArray(json)) for (const item of json) cursorsOf(item, found);
  else if (json !== null && typeof json === 'object') {
    for (const [name, value] of Object.entries(json)) {
      if ((name === 'nextCursor' || name === 'cursor') && typeof value === 'string') found.add(value);
      else cursorsOf(value, found);
    }
  }
}

const regexpEscaped = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The exchanges as lines of text in which every generated value (ids, secrets, key starts,
 * cursors: random, so different on every run) is replaced by a placeholder numbered in order of
 * first appearance. Nothing else changes: two runs whose lines are equal answered the same
 * statuses, headers and bytes, but for those values, which appeared at the same places.
 */
export function transcriptOf(exchanges: readonly Exchange[]): string[] {
  const lines = exchanges.map(
    (e) => `${e.step} | ${e.method} ${e.path} | ${e.status} ${JSON.stringify(e.headers)} | ${e.body}`,
  );
  const text = lines.join('\n');
  const values = new Map<string, string>();
  const kinds = new Map<string, number>();
  const name = (kind: string, value: string) => {
    if (values.has(value)) return;
    const n = (kinds.get(kind) ?? 0) + 1;
    kinds.set(kind, n);
    values.set(value, `<${kind}-${n}>`);
  };
  const cursors = new Set<string>();
  for (const exchange of exchanges) cursorsOf(exchange.json, cursors);
  const found: { at: number; kind: string; value: string }[] = [];
  for (const match of text.matchAll(GENERATED)) {
    const value = match[0];
    const kind = value.startsWith('acme_') ? 'secret' : value.slice(0, 2);
    found.push({ at: match.index, kind, value });
    // A key id stands alone in paths and `id` members: named where its first token shows it.
    if (kind === 'secret') found.push({ at: match.index, kind: 'key', value: value.slice(5, 21) });
  }
  for (const cursor of cursors) found.push({ at: text.indexOf(cursor), kind: 'cursor', value: cursor });
  for (const { kind, value } of found.sort((a, b) => a.at - b.at)) name(kind, value);
  const pattern = new RegExp(
    [...values.keys()]
      .sort((a, b) => b.length - a.length)
      .map(regexpEscaped)
      .join('|'),
    'g',
  );
  return values.size === 0
    ? lines
    : lines.map((line) => line.replace(pattern, (value) => values.get(value) ?? value));
}
