import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError, type ValidationIssue } from '../errors/keyward-error.js';
import { isAnyAddress, parseCidr } from '../request-controls/ip/cidr.js';
import type { ManagementContext } from './management-context.js';

/**
 * Refuses an IP allowlist the host's `ipAllowlists` settings do not accept, as `INVALID_INPUT`
 * with issues at `path`: more than `maxEntries` blocks (one issue at the list), or, unless
 * `allowAnyAddress`, a block matching every address of its version (`0.0.0.0/0`, `::/0`: one
 * issue at each such entry). The list was normalised by its input schema; `null` or absent passes.
 *
 * @internal
 */
export function assertIpAllowlistLimits(
  ctx: ManagementContext,
  allowlist: readonly string[] | null | undefined,
  path: readonly PropertyKey[],
): void {
  if (allowlist === null || allowlist === undefined) return;
  const { maxEntries, allowAnyAddress } = ctx.limits.ipAllowlists;
  const issues: ValidationIssue[] = [];
  if (allowlist.length > maxEntries) {
    issues.push({
      code: 'too_big',
      path,
      message: `At most ${maxEntries} entries: this service allows no more per IP allowlist`,
    });
  }
  if (!allowAnyAddress) {
    allowlist.forEach((entry, index) => {
      const parsed = parseCidr(entry);
      if (!parsed.ok || !isAnyAddress(parsed.cidr)) return;
      const version = parsed.cidr.network.version;
      issues.push({
        code: 'custom',
        path: [...path, index],
        message: `${entry} matches every IPv${version} address, so it restricts nothing: narrow it, or remove the allowlist (null) to allow any address`,
      });
    });
  }
  if (issues.length > 0)
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid IP allowlist', { issues });
}
