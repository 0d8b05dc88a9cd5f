import { z } from 'zod';
import { parseInput } from '../errors/parse-input.js';

/** Languages {@link sampleCode} writes. */
export const SAMPLE_CODE_LANGUAGES = ['curl', 'typescript', 'python'] as const;

/** A language {@link sampleCode} writes. */
export type SampleCodeLanguage = (typeof SAMPLE_CODE_LANGUAGES)[number];

/** An absolute http(s) URL without credentials, query or fragment. */
const baseUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === ''
    );
  }, 'Expected an absolute http(s) URL without credentials, query or fragment');

/** Input of {@link sampleCode}, validated with every zod issue reported as `INVALID_INPUT`. */
export const sampleCodeInputSchema = z.strictObject({
  language: z.enum(SAMPLE_CODE_LANGUAGES),
  /** RFC 6750 b64token: what a keyward token always is. */
  token: z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'Expected an API key'),
  baseUrl: baseUrlSchema,
  path: z
    .string()
    .max(2048)
    .regex(/^(\/[^\s?#]*)?$/, 'Expected a path starting with / (no query, fragment or whitespace)')
    .default(''),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
});

/** Input of {@link sampleCode}. */
export type SampleCodeInput = z.input<typeof sampleCodeInputSchema>;

type Sample = z.output<typeof sampleCodeInputSchema> & { url: string };

/** Quotes `text` for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** True when the method sends a (JSON) body. */
function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

function curlSample(s: Sample): string {
  const lines = [
    `curl -sS -g -X ${s.method} ${shellQuote(s.url)}`,
    `  -H ${shellQuote(`Authorization: Bearer ${s.token}`)}`,
  ];
  if (hasBody(s.method)) lines.push(`  -H 'Content-Type: application/json'`, `  -d '{}'`);
  return `${lines.join(' \\\n')}\n`;
}

function typescriptSample(s: Sample): string {
  const headers = hasBody(s.method)
    ? `{ Authorization: ${JSON.stringify(`Bearer ${s.token}`)}, 'Content-Type': 'application/json' }`
    : `{ Authorization: ${JSON.stringify(`Bearer ${s.token}`)} }`;
  return [
    '// Keep the API key secret: load it from a secret store or an environment variable in real code.',
    `const response = await fetch(${JSON.stringify(s.url)}, {`,
    `  method: '${s.method}',`,
    `  headers: ${headers},`,
    ...(hasBody(s.method) ? [`  body: JSON.stringify({}),`] : []),
    '});',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this line is TypeScript source for the snippet
    'if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);',
    'console.log(await response.json());',
    '',
  ].join('\n');
}

function pythonSample(s: Sample): string {
  const headers = hasBody(s.method)
    ? `{"Authorization": ${JSON.stringify(`Bearer ${s.token}`)}, "Content-Type": "application/json"}`
    : `{"Authorization": ${JSON.stringify(`Bearer ${s.token}`)}}`;
  return [
    '# Keep the API key secret: load it from a secret store or an environment variable in real code.',
    'import json',
    'import urllib.request',
    '',
    'request = urllib.request.Request(',
    `    ${JSON.stringify(s.url)},`,
    `    method="${s.method}",`,
    `    headers=${headers},`,
    ...(hasBody(s.method) ? ['    data=json.dumps({}).encode(),'] : []),
    ')',
    'with urllib.request.urlopen(request) as response:',
    '    print(json.load(response))',
    '',
  ].join('\n');
}

const WRITERS: Readonly<Record<SampleCodeLanguage, (sample: Sample) => string>> = {
  curl: curlSample,
  typescript: typescriptSample,
  python: pythonSample,
};

/**
 * A ready-to-run snippet calling `baseUrl + path` with `token` (the "generate sample code" button
 * of an API management page): `curl`, TypeScript (`fetch`, Node 18+, Deno, Bun) or Python (standard
 * library only). Every value is quoted for its language, and curl runs with `-g` (no URL globbing
 * of `[]{}`, which would send the key to several URLs). Throws `KeywardError` `INVALID_INPUT` for
 * an unknown language, a base URL that is not absolute http(s), or a token that is not one.
 *
 * The snippet contains the secret: show it only to whoever just received the key, never log it.
 *
 * @example
 * ```ts
 * sampleCode({ language: 'curl', token, baseUrl: 'https://api.acme.com/workspaces/w_sales', path: '/datasets/d_orders' });
 * // curl -sS -g -X GET 'https://api.acme.com/workspaces/w_sales/datasets/d_orders' \
 * //   -H 'Authorization: Bearer acme_...'
 * ```
 */
export function sampleCode(input: SampleCodeInput): string {
  const parsed = parseInput(sampleCodeInputSchema, input, 'sample code input');
  const url = new URL(parsed.baseUrl);
  const base = url.href.endsWith('/') ? url.href.slice(0, -1) : url.href;
  const full = new URL(`${base}${parsed.path}`).href;
  return WRITERS[parsed.language]({ ...parsed, url: full });
}
