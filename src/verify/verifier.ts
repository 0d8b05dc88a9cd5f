import type { ResolveActor } from '../entities/actor.js';
import type { KeyEnvironment } from '../entities/api-key.js';
import type { EnvironmentTokenParser } from '../keys/environment-token-parser.js';
import type { TokenDigest, TokenHasher } from '../keys/index.js';
import { evaluateCredential } from '../policy/engine/evaluate.js';
import { withTrace } from '../policy/engine/frozen-decision.js';
import type { Decision, KeyPrincipal, Policy, Resource, TraceStep } from '../policy/index.js';
import {
  ADMITTED_FREE,
  type FailureThrottle,
  THROTTLED_FAILURES,
} from '../request-controls/failure-throttle.js';
import type { InFlightWork } from '../shutdown/in-flight-work.js';
import type { ChangeFeed } from '../storage/change-feed.js';
import type { KeyWithAccount, StorageAdapter } from '../storage/storage-adapter.js';
import { CreatorChain } from './creator-chain.js';
import type { IpAllowlists } from './ip-allowlists.js';
import { type MatchedSecret, secretMatches, unknownKeyDigest } from './key-secret.js';
import type { LastUsedRecorder } from './last-used-recorder.js';
import { PrincipalCache } from './principal-cache.js';
import type { RateLimits } from './rate-limit-checks.js';
import type { RefusalRecorder } from './refusal-recorder.js';
import { UNKNOWN_KEY, type VerificationCache } from './verification-cache.js';
import { type VerifiedPrincipal, verifiedPrincipalCopy } from './verified-principal.js';
import type { VerifiedPrincipals } from './verified-principals.js';
import type {
  ResourceResolver,
  VerifyCredentialFailure,
  VerifyLimitRefusal,
  VerifyRequest,
  VerifyResult,
  VerifySuccess,
} from './verify-result.js';

/** What the verifier is built from. @internal */
export interface VerifierParts {
  readonly storage: StorageAdapter;
  readonly policy: Policy;
  /** Parses under the configured prefixes and tells which environment a token's prefix names. */
  readonly parser: EnvironmentTokenParser;
  /** The environments accepted when a request does not say (`config.acceptEnvironments`). */
  readonly acceptEnvironments: readonly KeyEnvironment[];
  readonly tokenHasher: TokenHasher;
  readonly lastUsed: LastUsedRecorder;
  readonly clock: () => number;
  /** The read cache (`config.cache`), or `undefined` when off. */
  readonly cache: VerificationCache | undefined;
  /** The change feed the cache trusts only while it is live; `undefined` for a TTL-only cache. */
  readonly feed: ChangeFeed | undefined;
  /** Where the plain principals handed out are tied to their compiled keys. */
  readonly verified: VerifiedPrincipals;
  /** Calls in progress, for `close()`; a closing instance answers `storage_unavailable`. */
  readonly inFlight: InFlightWork;
  /** The live rights of people (`config.resolveActor`): what bounds personal keys, and creators under the live boundary. */
  readonly liveCreators: ResolveActor | undefined;
  /** Whether every key is bounded by its live creator chain (`config.liveCreatorBoundary`); personal keys always are. */
  readonly liveCreatorBoundary: boolean;
  /** The IP allowlist check. */
  readonly allowlists: IpAllowlists;
  /** The rate limits in effect and their limiter. */
  readonly rateLimits: RateLimits;
  /** The failed-verification throttle (`config.failedVerificationThrottle`), or `undefined` when off. */
  readonly throttle: FailureThrottle | undefined;
  /** Where refusals of known keys are counted for the audit trail. */
  readonly refusals: RefusalRecorder;
  /** Told of every result with its request and duration (`onVerify`, instrumentation), or `undefined`. */
  readonly observe: ((result: VerifyResult, request: VerifyRequest, durationMs: number) => void) | undefined;
}

/** Refusals of a known key that the audit trail counts (not storage or host failures). */
const COUNTED_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_secret',
  'environment_not_accepted',
  'ip_not_allowed',
  'rate_limited',
  'usage_exceeded',
  'key_revoked',
  'key_disabled',
  'key_expired',
  'key_not_yet_valid',
  'account_disabled',
  'account_deleted',
  'creator_inactive',
  'cross_tenant',
  'outside_workspace_binding',
  'dataset_scoped_account',
  'dataset_not_granted',
  'read_only',
  'forbidden_by_rule',
  'not_granted',
  'exceeds_creator_rights',
]);

const failures = {} as Record<VerifyCredentialFailure['code'], VerifyCredentialFailure>;
for (const code of [
  'malformed_token',
  'key_not_found',
  'invalid_secret',
  'storage_unavailable',
  'environment_not_accepted',
  'resource_not_found',
  'evaluation_error',
] as const) {
  failures[code] = Object.freeze({ ok: false, code });
}
/** Settled once: rejecting a malformed token allocates nothing, not even a promise. */
const MALFORMED: Promise<VerifyResult> = Promise.resolve(failures.malformed_token);

/**
 * The request path: parse -> one storage read by key id -> constant-time digest compare (the
 * current secret, or the previous one inside its grace window) -> the live creator chain when
 * the host asked for it, and always the owner's live rights for a person's own key -> layer 1 ->
 * the host's resource resolver -> the policy -> bookkeeping. Never throws.
 *
 * @internal
 */
export class Verifier {
  readonly #parts: VerifierParts;
  readonly #principals: PrincipalCache;
  readonly #chain: CreatorChain | undefined;
  /** A digest no token matches, made the current way: an unknown key id costs what a wrong secret does. */
  readonly #noKey: TokenDigest;
  readonly #options: { now: number; explain?: boolean } = { now: 0 };
  /** Keys whose row is being read again after its TTL. */
  readonly #refreshing = new Set<string>();
  /** The default accepted environments, or `undefined` when they are all of them (no check). */
  readonly #accepted: readonly KeyEnvironment[] | undefined;

  constructor(parts: VerifierParts) {
    this.#parts = parts;
    this.#noKey = unknownKeyDigest(parts.tokenHasher);
    this.#principals = new PrincipalCache(parts.policy, parts.verified);
    this.#accepted = parts.acceptEnvironments.length >= 2 ? undefined : parts.acceptEnvironments;
    this.#chain =
      parts.liveCreators === undefined
        ? undefined
        : new CreatorChain(
            async (keyId, now) => this.#read(keyId, now),
            parts.liveCreators,
            this.#principals,
            parts.policy,
          );
  }

  /** Verifies `token` for `request`. */
  verify(token: unknown, request: VerifyRequest): Promise<VerifyResult> {
    if (this.#parts.observe !== undefined || this.#parts.throttle !== undefined)
      return this.#verifyObserved(token, request);
    const parsed = this.#parts.parser.parse(token);
    if (!parsed.ok) return MALFORMED;
    // Synchronous until something must be awaited: a cached key settles in one promise.
    const result = this.#verifyParsed(parsed.token, parsed.keyId, request);
    return result instanceof Promise ? result : Promise.resolve(result);
  }

  /** `verify` with the throttle before any work and the observers after it. */
  async #verifyObserved(token: unknown, request: VerifyRequest): Promise<VerifyResult> {
    const { throttle, observe } = this.#parts;
    const started = observe === undefined ? 0 : performance.now();
    let result: VerifyResult;
    try {
      if (throttle === undefined) {
        const parsed = this.#parts.parser.parse(token);
        result = parsed.ok
          ? await this.#verifyParsed(parsed.token, parsed.keyId, request)
          : failures.malformed_token;
      } else {
        result = await this.#verifyThrottled(throttle, token, request);
      }
    } catch {
      result = failures.evaluation_error;
    }
    observe?.(result, request, performance.now() - started);
    return result;
  }

  /** Refuses an address whose budget of failures is spent before any storage read; counts its failures. */
  async #verifyThrottled(
    throttle: FailureThrottle,
    token: unknown,
    request: VerifyRequest,
  ): Promise<VerifyResult> {
    const now = request.now ?? this.#parts.clock();
    // The address is read only once some address has failed, or this request did. An address
    // with failures on record verifies within its budget, counting what it has in flight.
    const admission = throttle.size === 0 ? ADMITTED_FREE : throttle.admit(request.ip, now);
    if (admission.wait > 0) return limitRefusal('too_many_failures', admission.wait);
    const parsed = this.#parts.parser.parse(token);
    const result = parsed.ok
      ? await this.#verifyParsed(parsed.token, parsed.keyId, request)
      : failures.malformed_token;
    const failed = !result.ok && THROTTLED_FAILURES.has(result.code);
    throttle.settle(admission, failed, request, now);
    return result;
  }

  /**
   * One verification counted as in flight (shutdown waits for it), synchronous until something
   * must be awaited: a cached row, a synchronous resolver and no budget answer without a promise.
   * Fail closed: a throwing host hook or a garbage request is a failure, never an exception.
   */
  #verifyParsed(token: string, keyId: string, request: VerifyRequest): VerifyResult | Promise<VerifyResult> {
    const inFlight = this.#parts.inFlight;
    if (inFlight.closing) return failures.storage_unavailable;
    inFlight.enter();
    let result: VerifyResult | Promise<VerifyResult>;
    try {
      const now = request.now ?? this.#parts.clock();
      const read = this.#read(keyId, now);
      result =
        read instanceof Promise
          ? read.then((found) => this.#verifyRead(token, found, request, now))
          : this.#verifyRead(token, read, request, now);
    } catch {
      inFlight.leave();
      return failures.evaluation_error;
    }
    if (!(result instanceof Promise)) {
      inFlight.leave();
      return result;
    }
    return result.then(
      (settled) => {
        inFlight.leave();
        return settled;
      },
      () => {
        inFlight.leave();
        return failures.evaluation_error;
      },
    );
  }

  /** What the row read for the key id answers: unknown, storage down, or the key's verification. */
  #verifyRead(
    token: string,
    found: KeyWithAccount | null | undefined,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    if (found === undefined) return failures.storage_unavailable;
    if (found === null) {
      this.#parts.tokenHasher.matches(token, this.#noKey);
      return failures.key_not_found;
    }
    const result = this.#verifyFound(token, found, request, now);
    if (result instanceof Promise) return result.then((settled) => this.#counted(settled, found, now));
    return this.#counted(result, found, now);
  }

  /** `result`, with the refusals the audit trail counts recorded against the key. */
  #counted(result: VerifyResult, found: KeyWithAccount, now: number): VerifyResult {
    if (!result.ok && COUNTED_REFUSALS.has(result.code))
      this.#parts.refusals.record(found.key, result.code, now);
    return result;
  }

  /** Everything after the key was found: secret, chain, status, IP, policy, rate limits, credits. */
  #verifyFound(
    token: string,
    found: KeyWithAccount,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    // A token whose prefix names another environment than the key's is refused like a wrong
    // secret, after the same digest compare: the same answer, the same cost.
    const named = this.#parts.parser.environmentOf(token);
    const secret = secretMatches(this.#parts.tokenHasher, token, found.key, now);
    if (secret === null || (named !== null && named !== found.key.environment))
      return failures.invalid_secret;
    this.#parts.lastUsed.record(found.key.id, now);
    const compiled = this.#principals.compiledFor(found);
    // A personal key is always bounded by its owner's live rights; without resolveActor its
    // compiled principal has no owner rights and is refused (`creator_inactive`).
    const bounded = this.#parts.liveCreatorBoundary || found.account.ownerUserId !== undefined;
    if (this.#chain === undefined || !bounded)
      return this.#verifyRights(compiled.principal, compiled.verified, found, request, now);
    return this.#verifyChained(compiled, found, secret, request, now);
  }

  /**
   * Reads the creator chain of the secret presented (a previous secret is bounded by whoever
   * received it), then goes on within its rights. The bounded principal is this request's own:
   * the principal cache only keeps the unbounded compiled key.
   */
  async #verifyChained(
    compiled: { readonly principal: KeyPrincipal; readonly verified: VerifiedPrincipal },
    found: KeyWithAccount,
    secret: MatchedSecret,
    request: VerifyRequest,
    now: number,
  ): Promise<VerifyResult> {
    const bound = await this.#chain?.boundOf(found, secret, now);
    if (bound === undefined || bound === 'storage') return failures.storage_unavailable;
    // This request's rights: the key's, within its chain's as just read. Its own plain view,
    // tied to them, so that the principal acts later exactly as it was verified.
    const principal = this.#parts.policy.withCreator(compiled.principal, bound);
    const verified = verifiedPrincipalCopy(compiled.verified);
    this.#parts.verified.remember(verified, principal);
    return this.#verifyRights(principal, verified, found, request, now);
  }

  /**
   * Status and address, the policy, then the budgets. Synchronous until something must be awaited
   * (a resource resolver, a rate limiter, a credit spend): a plain key costs no extra promise.
   */
  #verifyRights(
    principal: KeyPrincipal,
    verified: VerifiedPrincipal,
    found: KeyWithAccount,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    if (found.account.ipAllowlist !== null || found.key.ipAllowlist !== null) {
      // Status before address: a revoked key learns it is revoked (401), not where it may be used from.
      const denied = evaluateCredential(principal, request.action, now);
      if (denied !== null) return failure(denied);
      const layer = this.#parts.allowlists.refusal(found, request.ip);
      if (layer !== null) return { ok: false, code: 'ip_not_allowed', layer };
    }
    const decided = this.#decide(principal, verified, request, now);
    if (decided instanceof Promise)
      return decided.then((result) => this.#afterPolicy(result, found, request, now));
    return this.#afterPolicy(decided, found, request, now);
  }

  /** What follows an allowing decision: the rate limits and credits, when the key has any. */
  #afterPolicy(
    decided: VerifyResult,
    found: KeyWithAccount,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    if (!decided.ok) return decided;
    // A bad cost is the host's bug: refused before any budget is touched.
    const cost = request.cost ?? 1;
    if (!Number.isSafeInteger(cost) || cost < 0) return failures.evaluation_error;
    const limited = !this.#parts.rateLimits.none(found);
    if (!limited && found.key.credits === null) return decided;
    return this.#spend(decided, found, limited, cost, now);
  }

  /** Rate limits, then usage credits, for a request the policy allowed: a refused request spends no credit. */
  async #spend(
    allowed: VerifySuccess,
    found: KeyWithAccount,
    limited: boolean,
    cost: number,
    now: number,
  ): Promise<VerifyResult> {
    let rateLimits: VerifySuccess['rateLimits'];
    if (limited) {
      const verdict = await this.#parts.rateLimits.take(found, now);
      if (verdict === undefined) return failures.storage_unavailable;
      rateLimits = verdict.statuses;
      if (!verdict.allowed) return limitRefusal('rate_limited', verdict.retryAfterMs, rateLimits);
    }
    let credits: VerifySuccess['credits'];
    if (found.key.credits !== null && cost > 0) {
      let spent: Awaited<ReturnType<StorageAdapter['spendCredits']>>;
      try {
        spent = await this.#parts.storage.spendCredits({ keyId: found.key.id, cost, now: new Date(now) });
      } catch {
        return failures.storage_unavailable;
      }
      if (spent === null) return failures.key_not_found;
      if (!spent.spent) {
        const wait = spent.refillAt === null ? null : Math.max(1, spent.refillAt.getTime() - now);
        return limitRefusal('usage_exceeded', wait, rateLimits);
      }
      if (spent.remaining !== null) credits = { remaining: spent.remaining };
    }
    if (rateLimits === undefined && credits === undefined) return allowed;
    return {
      ...allowed,
      ...(rateLimits === undefined ? {} : { rateLimits }),
      ...(credits === undefined ? {} : { credits }),
    };
  }

  /**
   * The key and its account (from the cache while its change feed is live), `null` when unknown,
   * `undefined` when storage failed.
   */
  #read(
    keyId: string,
    now: number,
  ): KeyWithAccount | null | undefined | Promise<KeyWithAccount | null | undefined> {
    const cache = this.#parts.cache;
    if (cache !== undefined && this.#cacheServes()) {
      const cached = cache.get(keyId, now);
      if (cached === UNKNOWN_KEY) return null;
      if (cached !== undefined) {
        if (cached.refresh) this.#refresh(cache, keyId);
        return cached.found;
      }
    }
    return this.#readStorage(keyId, now);
  }

  /** The key and its account from storage, remembered in the cache; `undefined` when storage failed. */
  async #readStorage(keyId: string, now: number): Promise<KeyWithAccount | null | undefined> {
    const { storage, cache } = this.#parts;
    const began = cache?.begin() ?? 0;
    let found: KeyWithAccount | null;
    try {
      found = await storage.findKeyForVerification({ keyId });
    } catch {
      return undefined;
    }
    if (found !== null) cache?.set(found, now, began);
    else cache?.setUnknown(keyId, now, began);
    return found;
  }

  /**
   * Whether the cache may answer now: always without a change feed (a TTL-only cache the host
   * asked for), else only while the feed is live, after catching up with it.
   */
  #cacheServes(): boolean {
    const feed = this.#parts.feed;
    if (feed === undefined) return true;
    if (!feed.live) return false;
    if (feed.sync === undefined) return true;
    try {
      feed.sync();
      return feed.live;
    } catch {
      // A catch-up that failed may have missed changes: trust nothing cached.
      this.#parts.cache?.dropAll();
      return false;
    }
  }

  /** Reads a row past its TTL again in the background (one read per key at a time). */
  #refresh(cache: VerificationCache, keyId: string): void {
    if (this.#refreshing.has(keyId)) return;
    this.#refreshing.add(keyId);
    const began = cache.begin();
    this.#parts.storage
      .findKeyForVerification({ keyId })
      .then(
        (found) => {
          if (found === null) cache.keyChanged(keyId);
          else cache.set(found, this.#parts.clock(), began);
        },
        () => {
          // Storage failed: the row stays until the next refresh; a change still evicts it.
        },
      )
      .finally(() => this.#refreshing.delete(keyId));
  }

  /** Synchronous for a given resource; a resolver runs only once layer 1 passed. */
  #decide(
    principal: KeyPrincipal,
    verified: VerifiedPrincipal,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    const accepted = request.environments ?? this.#accepted;
    if (accepted !== undefined && !accepted.includes(verified.environment)) {
      // Only a key that is valid and usable learns that its environment is not accepted: any
      // other credential failure answers as such, the same for every environment.
      const denied = evaluateCredential(principal, request.action, now);
      return denied === null ? failures.environment_not_accepted : failure(denied);
    }
    const resource = request.resource;
    if (typeof resource !== 'function') return this.#authorize(principal, verified, request, resource, now);
    const trace: TraceStep[] | undefined = request.explain === true ? [] : undefined;
    const denied = evaluateCredential(principal, request.action, now, trace);
    if (denied !== null) return failure(trace === undefined ? denied : withTrace(denied, trace));
    return this.#resolve(resource, principal, verified, request, now);
  }

  /** Synchronous when the resolver answers synchronously (a throw reaches `#verifyParsed`'s catch either way). */
  #resolve(
    resolver: ResourceResolver,
    principal: KeyPrincipal,
    verified: VerifiedPrincipal,
    request: VerifyRequest,
    now: number,
  ): VerifyResult | Promise<VerifyResult> {
    const answer = resolver(verified);
    if (!isThenable(answer)) return this.#resolved(answer, principal, verified, request, now);
    return Promise.resolve(answer).then((resource) =>
      this.#resolved(resource, principal, verified, request, now),
    );
  }

  #resolved(
    resource: Resource | null,
    principal: KeyPrincipal,
    verified: VerifiedPrincipal,
    request: VerifyRequest,
    now: number,
  ): VerifyResult {
    if (resource === null) return failures.resource_not_found;
    return this.#authorize(principal, verified, request, resource, now);
  }

  #authorize(
    principal: KeyPrincipal,
    verified: VerifiedPrincipal,
    request: VerifyRequest,
    resource: Resource,
    now: number,
  ): VerifyResult {
    // `authorize` is synchronous and keeps nothing of its options: one object serves every call.
    let options = this.#options;
    if (request.explain === true) options = { now, explain: true };
    else options.now = now;
    const decision = this.#parts.policy.authorize(principal, request.action, resource, options);
    if (!decision.allowed) return failure(decision);
    // The wrapper is this caller's own and never shared, so it is not frozen (that would cost on
    // every request); the principal and decision it carries are shared and deeply frozen.
    return { ok: true, principal: verified, decision };
  }
}

/** True for a promise or any `then`-able, as `await` takes it. */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** A refusal for a spent budget. */
function limitRefusal(
  code: VerifyLimitRefusal['code'],
  retryAfterMs: number | null,
  rateLimits?: VerifyLimitRefusal['rateLimits'],
): VerifyLimitRefusal {
  return rateLimits === undefined
    ? { ok: false, code, retryAfterMs }
    : { ok: false, code, retryAfterMs, rateLimits };
}

/** The failure a denying decision gives (`decision.allowed` is false). */
function failure(decision: Decision): VerifyResult {
  return { ok: false, code: decision.reason, decision } as VerifyResult;
}
