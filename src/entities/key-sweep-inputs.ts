import { z } from 'zod';
import { workspaceIdSchema } from './ids.js';

/** Most keys one page of a sweep reads, and the default. */
export const MAX_SWEEP_BATCH = 500;

/** Longest window a sweep takes, in seconds: 100 years. */
const MAX_SWEEP_SECONDS = 100 * 365 * 24 * 3600;

/**
 * `kw.keys.sweep(actor, input)`: the stale-key policy of one run. Each rule is off unless given,
 * except the expiry notices (`notifyExpiring`, on by default).
 */
export const sweepKeysInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema.optional(),
  /** Disable active keys neither used, created nor changed for this many seconds (CIS: 45 days). */
  disableUnusedFor: z.number().int().min(1).max(MAX_SWEEP_SECONDS).optional(),
  /** Revoke keys expired for more than this many seconds (0: every expired key). */
  revokeExpiredAfter: z.number().int().min(0).max(MAX_SWEEP_SECONDS).optional(),
  /** Record `key.expiring_soon` and `key.expired` notices (default true). */
  notifyExpiring: z.boolean().default(true),
  /** Keys read per page, 1-500 (default 100). */
  batchSize: z.number().int().min(1).max(MAX_SWEEP_BATCH).default(100),
  /** Most keys changed by this run; the rest wait for the next (`more: true`). */
  maxKeys: z.number().int().min(1).max(1_000_000).optional(),
});

/** Input of `kw.keys.sweep`: which rules run, where, and how much one run may do. */
export interface SweepKeysInput {
  /** Only keys of this workspace; without it, every workspace of the tenant the actor may manage keys in. */
  workspaceId?: string | undefined;
  /**
   * Disable active keys unused for this many seconds: `lastUsedAt` null or older, created before
   * that, and not changed by anyone since (a regeneration, an enable, an edit restart the window).
   * CIS asks 45 days: `45 * 86_400`.
   */
  disableUnusedFor?: number | undefined;
  /** Revoke keys (disabled ones too) whose expiry passed more than this many seconds ago; 0 = at once. */
  revokeExpiredAfter?: number | undefined;
  /**
   * Notify, once each, keys expiring within `expiringSoonLeadMs` (`key.expiring_soon`) and keys
   * that expired (`key.expired`). Default true.
   */
  notifyExpiring?: boolean | undefined;
  /** Keys read per page, 1-500 (default 100). Each change is its own short transaction. */
  batchSize?: number | undefined;
  /** Most keys one run changes (1-1,000,000); without it, a run goes through every rule to the end. */
  maxKeys?: number | undefined;
}

/** What `kw.keys.sweep` did. Also `details.sweep` of the error when a run fails half-way. */
export interface SweepOutcome {
  /** Keys disabled as unused (`disableUnusedFor`). */
  disabled: number;
  /** Keys revoked as long expired (`revokeExpiredAfter`). */
  revoked: number;
  /** Expiry notices recorded: `key.expiring_soon` and `key.expired` together. */
  notified: number;
  /** Keys the run read and may manage, whether or not it changed them (a key read by two rules counts twice). */
  scanned: number;
  /** True when the run stopped at `maxKeys` with keys left to change: run again. */
  more: boolean;
}
