import {
  extractCredential,
  type HeaderSource,
  httpDenial,
  type RequestResource,
} from '../../src/entries/http.js';
import type { UserActor } from '../../src/index.js';
import type { HostLogin } from './host-login.js';
import { EXAMPLE_REALM, type HttpReply, notFoundReply, problemReply } from './http-reply.js';

/**
 * How an admin route's caller authenticates: a human session, an API key (left to the keyward
 * middleware, which answers 400 / 401 / 403 itself), or a refusal.
 */
export type AdminCredential =
  | { readonly kind: 'session'; readonly actor: UserActor }
  | { readonly kind: 'key' }
  | { readonly kind: 'denied'; readonly reply: HttpReply };

/**
 * Reads the caller of an admin route. `sessions` are the values of the session header. A session
 * together with an API key is refused (never silently picked); a session of another tenant than
 * the resource's gets the same 404 as an unknown resource. `resource` is looked up only for a
 * valid session: an API key is left to the middleware, which verifies it before any lookup.
 */
export function adminCredential(
  login: HostLogin,
  sessions: readonly string[],
  request: { headers: HeaderSource; url: string },
  resource: () => RequestResource | null,
): AdminCredential {
  if (sessions.length === 0) return { kind: 'key' };
  const denied = (code: string): AdminCredential => ({
    kind: 'denied',
    reply: problemReply(httpDenial(code, { realm: EXAMPLE_REALM })),
  });
  if (extractCredential(request).kind !== 'missing') return denied('multiple_credentials');
  if (sessions.length > 1) return denied('duplicate_header');
  const actor = login.actorOf(sessions[0] as string);
  if (actor === null) return denied('missing_credentials');
  const target = resource();
  if (target === null || target.tenantId !== actor.tenantId)
    return { kind: 'denied', reply: notFoundReply() };
  return { kind: 'session', actor };
}

/** Every value of header `name` (lowercase) in Node's `rawHeaders`. */
export function rawHeaderValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === name) values.push(rawHeaders[i + 1] as string);
  }
  return values;
}
