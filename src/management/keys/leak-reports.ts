import { z } from 'zod';
import type { SystemActorRef } from '../../entities/actor.js';
import type { RequestContext } from '../../entities/audit-event.js';
import type { AuditedChange } from '../../entities/audited-change.js';
import { PLAIN_TEXT, PLAIN_TEXT_MESSAGE, plainTextSchema } from '../../entities/text.js';
import { parseInput } from '../../errors/parse-input.js';
import { createEnvironmentTokenParser } from '../../keys/environment-token-parser.js';
import type { KeyWithAccount } from '../../storage/storage-adapter.js';
import { secretMatches, unknownKeyDigest } from '../../verify/key-secret.js';
import { buildAuditEvent } from '../audit-event-builder.js';
import type { ManagementContext } from '../management-context.js';
import { revokedKey } from './key-changes.js';
import { toKeyInfo } from './key-view.js';

/** Most reports one call takes (GitHub batches matches into one request). */
export const MAX_LEAK_REPORTS = 1000;

/**
 * One match a secret scanner reports, in the shape GitHub's secret-scanning partner program posts.
 * Members beyond these four are ignored: the scanner's format may grow.
 */
export const leakReportSchema = z.object({
  /** The string the scanner matched. Never stored, logged or answered. */
  token: z.string().max(4096),
  /** The scanner's name of the pattern that matched (`acme_api_key`). */
  type: z.string().max(256),
  /** The public URL where the match was found, or `''` (GitHub: "may be empty"). Stored in the audit. */
  url: z.union([
    z.literal(''),
    z.httpUrl('Expected an absolute http(s) URL').max(2048).regex(PLAIN_TEXT, PLAIN_TEXT_MESSAGE),
  ]),
  /** Where the scanner found it (GitHub: `content`, `commit`, `npm`...). Stored in the audit. */
  source: plainTextSchema(64).optional(),
});

/** Input of `kw.keys.reportLeaks`: 1 to {@link MAX_LEAK_REPORTS} reports. */
export const leakReportsSchema = z.array(leakReportSchema).min(1).max(MAX_LEAK_REPORTS);

/** One match a secret scanner reports (see {@link leakReportSchema}). */
export interface LeakReport {
  /** The string the scanner matched. Never stored, logged or answered. */
  token: string;
  /** The scanner's name of the pattern that matched. */
  type: string;
  /** The public URL where the match was found (absolute http(s)), or `''`. */
  url: string;
  /** Where the scanner found it (GitHub: `content`, `commit`, `npm`...). */
  source?: string | undefined;
}

/**
 * What a leak report does to a key whose secret it holds: `revoke` revokes the key at once (and
 * audits it); `report` only audits it, for a host that warns the key's owners and lets them rotate.
 */
export type LeakReportMode = 'revoke' | 'report';

/** Options of `kw.keys.reportLeaks`. */
export interface LeakReportOptions {
  /** See {@link LeakReportMode}. */
  mode: LeakReportMode;
}

const leakReportOptionsSchema = z.strictObject({ mode: z.enum(['revoke', 'report']) });

/**
 * The answer for one report: `true_positive` when the token is the current secret of one of the
 * instance's keys (or its previous one inside its grace period), whatever the key's status;
 * `false_positive` for everything else. A token whose key id exists but whose secret is wrong
 * answers exactly as one whose key id does not.
 */
export interface LeakReportResult {
  /** The report's position in the input. */
  index: number;
  /** GitHub's labels: whether the token was a real credential of this instance. */
  label: 'true_positive' | 'false_positive';
}

/** What `kw.keys.reportLeaks` answers: one result per report, in input order. */
export interface LeakReportOutcome {
  /** One result per report, in input order. */
  results: LeakReportResult[];
}

/** The actor of every leak report's audit event. */
const SECRET_SCANNING: SystemActorRef = Object.freeze({ type: 'system', id: 'secret_scanning' });

/**
 * Checks each report's token the way `verify` does (parse with the instance's prefixes, so a
 * malformed token or a wrong checksum never reaches storage; one read by key id, across
 * tenants; a constant-time digest compare, against a dummy digest when the key id is unknown),
 * then, for each token that is a key's secret, acts on the key as read under lock in one
 * transaction: revokes it (`revoke` mode, unless already revoked) and writes an `api_key.leak`
 * audit event whose actor is `{ type: 'system', id: 'secret_scanning' }` and whose request holds
 * the report's `url` and `source`. Storage failures reject the call (`STORAGE_UNAVAILABLE`).
 *
 * @internal
 */
export async function reportLeaks(
  ctx: ManagementContext,
  rawReports: readonly LeakReport[],
  rawOptions: LeakReportOptions,
): Promise<LeakReportOutcome> {
  const reports = parseInput(leakReportsSchema, rawReports, 'leak reports');
  const { mode } = parseInput(leakReportOptionsSchema, rawOptions, 'leak report options');
  const { parse } = createEnvironmentTokenParser(ctx.tokenPrefixes, ctx.secretLength);
  const noKey = unknownKeyDigest(ctx.tokenHasher);
  const results: LeakReportResult[] = [];
  for (const [index, report] of reports.entries()) {
    const parsed = parse(report.token);
    let found: KeyWithAccount | null = null;
    if (parsed.ok) {
      found = await ctx.storage.findKeyForVerification({ keyId: parsed.keyId });
      if (found === null) ctx.tokenHasher.matches(parsed.token, noKey);
      else if (secretMatches(ctx.tokenHasher, parsed.token, found.key, ctx.clock()) === null) found = null;
    }
    if (found !== null) await actOnLeak(ctx, found, report, mode);
    results.push({ index, label: found === null ? 'false_positive' : 'true_positive' });
  }
  return { results };
}

/**
 * In one transaction, on the key read under lock: revoke it when asked and the leaked secret
 * still opens it (a regeneration in between may have retired it), then audit the leak. A key
 * deleted in between has nothing left to revoke or audit. After the commit, caches drop the key
 * and the host's events hear of the audit event, as for every management write.
 */
async function actOnLeak(
  ctx: ManagementContext,
  found: KeyWithAccount,
  report: z.output<typeof leakReportSchema>,
  mode: LeakReportMode,
): Promise<void> {
  const { tenantId, id: keyId } = found.key;
  const done = await ctx.storage.transaction(async (tx): Promise<LeakWrite | null> => {
    const locked = await tx.lockKey({ tenantId, keyId });
    if (locked === null) return null;
    const now = ctx.clock();
    const key = locked.key;
    const next =
      mode === 'revoke' && secretMatches(ctx.tokenHasher, report.token, key, now) !== null
        ? revokedKey(key, now)
        : key;
    const written = next === key ? key : await tx.updateKey({ key: next });
    if (written === null) return null;
    const after = toKeyInfo(written, now);
    const event = buildAuditEvent({
      actor: SECRET_SCANNING,
      action: 'api_key.leak',
      tenantId,
      workspaceId: key.workspaceId,
      target: { type: 'api_key', id: keyId },
      before: toKeyInfo(key, now),
      after,
      request: leakRequest(report),
      at: new Date(now),
    });
    await tx.insertAuditEvent({ event });
    return { audited: { event, key: after, account: null }, revoked: written !== key };
  });
  if (done === null) return;
  if (done.revoked) ctx.changes.keyChanged(keyId);
  await ctx.audited.committed([done.audited]);
}

/** What one leak's transaction wrote. */
interface LeakWrite {
  readonly audited: AuditedChange;
  /** Whether it revoked the key (caches must drop it). */
  readonly revoked: boolean;
}

/** Where the leak was found, for the audit trail: never the token. */
function leakRequest(report: z.output<typeof leakReportSchema>): RequestContext {
  const request: RequestContext = {};
  if (report.url !== '') request.url = report.url;
  if (report.source !== undefined) request.source = report.source;
  return request;
}
