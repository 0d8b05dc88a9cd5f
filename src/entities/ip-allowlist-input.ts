import { z } from 'zod';
import { formatCidr, parseCidr } from '../request-controls/ip/cidr.js';

/** Longest entry whose text an issue repeats: no CIDR block is longer (an IPv6 address with a dotted tail and `/128`). */
const MAX_ECHOED_ENTRY = 49;

/** The message of an entry `parseCidr` refused, repeating the entry only when it could be a block. */
function refusedEntryMessage(entry: string, message: string): string {
  return entry.length > MAX_ECHOED_ENTRY
    ? `Not an IP address or CIDR block: longer than any (${MAX_ECHOED_ENTRY} characters at most)`
    : message;
}

/**
 * An IP allowlist as management calls take it: 1-1000 IP addresses or CIDR blocks
 * (`203.0.113.0/24`, `2001:db8::/32`, a bare address meaning one address), each read by
 * `parseCidr` and turned into its canonical text (`2001:DB8:0::/32` becomes `2001:db8::/32`,
 * `::ffff:10.0.0.0/104` becomes `10.0.0.0/8`, `10.0.0.7` becomes `10.0.0.7/32`). An entry that is
 * not a block is an issue at its index with the reason, a block with host bits set is refused
 * (never silently widened: `10.0.0.1/8: host bits set; did you mean 10.0.0.0/8?`), and so is a
 * block given twice (after normalisation). The host's rules (`ipAllowlists.maxEntries`, any-address
 * blocks) are checked when the list is saved.
 *
 * @example
 * ```ts
 * ipAllowlistInputSchema.parse(['2001:DB8::/32', '10.0.0.7']); // ['2001:db8::/32', '10.0.0.7/32']
 * ```
 */
export const ipAllowlistInputSchema = z
  .array(z.string())
  .min(1)
  .max(1000)
  .transform((entries, ctx) => {
    const blocks: string[] = [];
    const firstIndex = new Map<string, number>();
    entries.forEach((entry, index) => {
      const parsed = parseCidr(entry);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', path: [index], message: refusedEntryMessage(entry, parsed.message) });
        return;
      }
      const block = formatCidr(parsed.cidr);
      const first = firstIndex.get(block);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `${block} is already entry ${first} of the list`,
        });
        return;
      }
      firstIndex.set(block, index);
      blocks.push(block);
    });
    return blocks;
  });
