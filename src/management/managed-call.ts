import type { z } from 'zod';
import type { RequestContext } from '../entities/audit-event.js';
import { parseInput } from '../errors/parse-input.js';
import { type ActingPrincipal, type Actor, actingPrincipal } from './actor.js';
import { authorizeCall, type Requirement } from './authorization.js';
import { type CallMeta, requestOf } from './call-meta.js';
import { type LockedWrite, writeLocked } from './locked-write.js';
import type { ManagementContext } from './management-context.js';

/** A call past its preamble: valid input, a known actor, and what it is about. @internal */
export interface AuthorizedCall<Input, Subject> {
  readonly input: Input;
  readonly acting: ActingPrincipal;
  readonly request: RequestContext;
  /**
   * What `load` returned: the unlocked read. Only what never changes (tenant, workspace, id) may
   * be decided on it; everything else is decided in `write`, on the locked read.
   */
  readonly subject: Subject;
}

/** The steps every management call has, in the order {@link managedCall} takes them. @internal */
interface CallSteps<Input, Subject> {
  /** The input's schema: a mismatch is `INVALID_INPUT` with every zod issue. */
  readonly input: z.ZodType<Input>;
  /** What the input is, for the `INVALID_INPUT` message (`Invalid ${inputName}`). */
  readonly inputName: string;
  /** Checks of the input that need neither the actor nor storage (the role catalog). */
  readonly checkInput?: ((input: Input) => void) | undefined;
  /** Reads what the call is about in the actor's tenant; `NOT_FOUND` otherwise, other tenants included. */
  readonly load: (tenantId: string, input: Input) => Promise<Subject>;
  /** The permissions the actor needs, asked in order. */
  readonly requires: (input: Input, subject: Subject) => readonly Requirement[];
}

/** A call that only reads. @internal */
export interface ManagedRead<Input, Subject, Result> extends CallSteps<Input, Subject> {
  /** Checks that need the host (I/O), once the call is authorized. */
  readonly prepare?: ((call: AuthorizedCall<Input, Subject>) => Promise<void> | void) | undefined;
  readonly read: (call: AuthorizedCall<Input, Subject>) => Result | Promise<Result>;
}

/** A call that writes: it decides in its transaction, on the records it locks there. @internal */
export interface ManagedWrite<Input, Subject, Result, Prepared> extends CallSteps<Input, Subject> {
  /**
   * Checks before the transaction: the host's (I/O, never run while a lock is held) and the
   * catalog's, on the input and on what never changes. What it returns is handed to `write`
   * (a record built before the transaction, stamped when the call was decided).
   */
  readonly prepare?: ((call: AuthorizedCall<Input, Subject>) => Prepared | Promise<Prepared>) | undefined;
  readonly write: (
    write: LockedWrite,
    call: AuthorizedCall<Input, Subject>,
    prepared: Prepared,
  ) => Promise<Result>;
}

/** @internal */
export type ManagedCall<Input, Subject, Result, Prepared = void> =
  | ManagedRead<Input, Subject, Result>
  | ManagedWrite<Input, Subject, Result, Prepared>;

/**
 * The one path of every management call: validate the input, resolve the actor and the request
 * metadata, load what the call is about (tenant-scoped), authorize it (refused changes are
 * audited), run the checks that need the host, then read, or write in one transaction that
 * locks what it decides on and records the audit event, and tell the caches after the commit.
 *
 * @internal
 */
export async function managedCall<Input, Subject, Result, Prepared = void>(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: unknown,
  meta: CallMeta | undefined,
  steps: ManagedCall<Input, Subject, Result, Prepared>,
): Promise<Result> {
  const input = parseInput(steps.input, rawInput, steps.inputName);
  steps.checkInput?.(input);
  const acting = actingPrincipal(ctx, actor);
  const request = requestOf(meta);
  const subject = await steps.load(acting.tenantId, input);
  for (const requirement of steps.requires(input, subject)) {
    await authorizeCall(ctx, acting, requirement, request);
  }
  const call: AuthorizedCall<Input, Subject> = { input, acting, request, subject };
  if (!('write' in steps)) {
    await steps.prepare?.(call);
    return steps.read(call);
  }
  // Without `prepare`, `Prepared` is `void` and `undefined` is its value.
  const prepared = (await steps.prepare?.(call)) as Prepared;
  return writeLocked(ctx, call, (write) => steps.write(write, call, prepared));
}

/** The `load` of a call about nothing stored yet (a creation) or about many records (a list). @internal */
export function nothingToLoad(): Promise<undefined> {
  return Promise.resolve(undefined);
}
