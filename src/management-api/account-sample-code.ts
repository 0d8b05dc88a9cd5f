import { z } from 'zod';
import { serviceAccountIdSchema } from '../entities/ids.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import { SAMPLE_CODE_LANGUAGES, sampleCode, sampleCodeInputSchema } from '../http/sample-code.js';
import type { IssuedKey } from '../management/keys/key-minting.js';
import type { RouteCall } from './management-route.js';
import type { keySampleCodeSchema } from './result-schemas.js';

/**
 * Stands for the secret in sample code: the secret exists only in the create, issue and
 * regenerate answers, so every other sample shows this placeholder instead. @internal
 */
export const SAMPLE_TOKEN_PLACEHOLDER = 'YOUR_API_KEY';

/** Input of the sample-code route: the account, the language, and the path and method called. @internal */
export const sampleCodeRouteSchema = sampleCodeInputSchema
  .pick({ language: true, path: true, method: true })
  .extend({ id: serviceAccountIdSchema });

/** What the sample-code route answers. @internal */
export const accountSampleCodeSchema = z.strictObject({
  language: z.enum(SAMPLE_CODE_LANGUAGES),
  /** The base URL of the account's workspace endpoints (the host's `endpointsBaseUrl`). */
  baseUrl: z.string(),
  /** The snippet, with {@link SAMPLE_TOKEN_PLACEHOLDER} where the secret goes. */
  code: z.string(),
});

/** The host's base URL of a workspace's endpoints, checked to be an absolute URL. */
function endpointsOf(endpointsBaseUrl: (workspaceId: string) => string, workspaceId: string): string {
  const baseUrl = endpointsBaseUrl(workspaceId);
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    throw new TypeError('keyward: endpointsBaseUrl must return an absolute http(s) URL');
  }
  return baseUrl;
}

/**
 * `issued` with ready-to-run code in every language holding its token (the only answers where a
 * secret may appear: create, issue, regenerate, a person's own issue), when the host gave
 * `endpointsBaseUrl`; as it is otherwise. The key is saved by then, so a hook that throws or
 * answers no usable URL costs the sample, never the token: the answer goes without `sampleCode`
 * and the failure to `reportError`.
 *
 * @internal
 */
export function withKeySampleCode(
  { endpointsBaseUrl, reportError }: Pick<RouteCall, 'endpointsBaseUrl' | 'reportError'>,
  issued: IssuedKey,
): IssuedKey & { sampleCode?: z.output<typeof keySampleCodeSchema> } {
  if (endpointsBaseUrl === undefined) return issued;
  const { workspaceId } = issued.key;
  try {
    const baseUrl = endpointsOf(endpointsBaseUrl, workspaceId);
    const code = (language: (typeof SAMPLE_CODE_LANGUAGES)[number]) =>
      sampleCode({ language, token: issued.token, baseUrl });
    return {
      ...issued,
      sampleCode: { baseUrl, curl: code('curl'), typescript: code('typescript'), python: code('python') },
    };
  } catch (error) {
    const message = `endpointsBaseUrl failed for workspace ${workspaceId}: the key was saved and answered without sampleCode`;
    reportError(new KeywardError(ERROR_CODES.INVALID_CONFIG, message, { cause: error }));
    return issued;
  }
}

/**
 * Sample code calling the endpoints of an account's workspace (`kw.serviceAccounts.get`, so
 * tenant-scoped and `service_accounts:read`), with {@link SAMPLE_TOKEN_PLACEHOLDER} for the
 * secret. Other query members (a `token`, a `baseUrl`) are refused as `INVALID_INPUT`.
 *
 * @internal
 */
export async function accountSampleCode({
  kw,
  actor,
  input,
  endpointsBaseUrl,
}: RouteCall): Promise<z.output<typeof accountSampleCodeSchema>> {
  const { id, ...rest } = parseInput(sampleCodeRouteSchema, input, 'sample code request');
  const account = await kw.serviceAccounts.get(actor, { id });
  const baseUrl = endpointsOf(endpointsBaseUrl as (workspaceId: string) => string, account.workspaceId);
  const code = sampleCode({ ...rest, token: SAMPLE_TOKEN_PLACEHOLDER, baseUrl });
  return { language: rest.language, baseUrl, code };
}
