import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserActor } from '../../src/index.js';
import { USERS } from './world.js';

/** How long a session lasts. */
const SESSION_TTL_MS = 8 * 3600 * 1000;

/** The header humans send their session in (kept apart from API-key headers on purpose). */
export const SESSION_HEADER = 'x-session';

/**
 * The host's own login for humans, standing in for whatever the host really uses (OIDC, cookies,
 * SSO). keyward does not authenticate humans: the host does, and hands keyward a `UserActor`.
 */
export class HostLogin {
  readonly #sessions = new Map<string, { actor: UserActor; expiresAt: number }>();
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** A new session id for `user` / `password`, or `null` when they do not match. */
  login(user: unknown, password: unknown): { session: string; actor: UserActor } | null {
    if (typeof user !== 'string' || typeof password !== 'string') return null;
    const found = Object.hasOwn(USERS, user) ? USERS[user] : undefined;
    // Compare digests in constant time; an unknown user still costs one comparison.
    const expected = sha256(found?.password ?? 'no such user');
    if (!timingSafeEqual(expected, sha256(password)) || found === undefined) return null;
    const session = randomBytes(24).toString('base64url');
    this.#sessions.set(session, { actor: found.actor, expiresAt: this.#clock() + SESSION_TTL_MS });
    return { session, actor: found.actor };
  }

  /** The human behind a session id, or `null` when it is unknown or expired. */
  actorOf(session: string): UserActor | null {
    const entry = this.#sessions.get(session);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.#clock()) {
      this.#sessions.delete(session);
      return null;
    }
    return entry.actor;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
