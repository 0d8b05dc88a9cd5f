import { compileIpAllowlist, type IpAllowlist } from '../request-controls/ip/ip-allowlist.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';

/** Most distinct compiled lists kept; beyond that the oldest go (a recompile costs about a microsecond). */
const MAX_COMPILED = 10_000;

/**
 * The IP allowlist check of the request path: an account's list, then its key's (which narrows
 * it: an address must pass both). Lists are compiled once and reused, by record (cached reads
 * hand back the same arrays) and by content (many keys share their account's list).
 *
 * @internal
 */
export class IpAllowlists {
  readonly #byArray = new WeakMap<readonly string[], IpAllowlist>();
  readonly #byText = new Map<string, IpAllowlist>();

  /** The layer whose allowlist refuses `ip`, or `null` when every list present allows it (or there is none). */
  refusal(found: KeyWithAccount, ip: string | undefined): 'account' | 'key' | null {
    const account = found.account.ipAllowlist;
    if (account !== null && !this.#compiled(account).allows(ip)) return 'account';
    const key = found.key.ipAllowlist;
    if (key !== null && !this.#compiled(key).allows(ip)) return 'key';
    return null;
  }

  #compiled(entries: readonly string[]): IpAllowlist {
    const known = this.#byArray.get(entries);
    if (known !== undefined) return known;
    const text = entries.join(' ');
    let compiled = this.#byText.get(text);
    if (compiled === undefined) {
      compiled = compileIpAllowlist(entries);
      if (this.#byText.size >= MAX_COMPILED) {
        const oldest = this.#byText.keys().next().value;
        if (oldest !== undefined) this.#byText.delete(oldest);
      }
      this.#byText.set(text, compiled);
    }
    this.#byArray.set(entries, compiled);
    return compiled;
  }
}
