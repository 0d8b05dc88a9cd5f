import { describe, expect, it } from 'vitest';
import { decodeChanges, encodeChanges } from '../../../adapters/redis/change-payload.js';
import type { StorageChange } from '../../../src/storage/change-feed.js';

describe('the Redis change payload', () => {
  it('is a compact JSON array of k:<key id> and a:<account id>, read back as the same batch', () => {
    const changes: StorageChange[] = [
      { kind: 'key', id: 'key_01J' },
      { kind: 'account', id: 'acct:with:colons' },
      { kind: 'key', id: 'ключ "quoted"' },
    ];
    const message = encodeChanges(changes);
    expect(message).toBe('["k:key_01J","a:acct:with:colons","k:ключ \\"quoted\\""]');
    expect(decodeChanges(message)).toEqual(changes);
    expect(decodeChanges(encodeChanges([]))).toEqual([]);
  });

  it.each([
    ['not JSON', 'k:key_1'],
    ['not an array', '{"k":"key_1"}'],
    ['an entry that is no string', '["k:key_1",7]'],
    ['an unknown tag', '["k:key_1","x:key_2"]'],
    ['an empty id', '["k:"]'],
    ['a tag without its colon', '["kkey_1"]'],
  ])('reads as nothing (so the feed reports a gap) for %s', (_case, message) => {
    expect(decodeChanges(message)).toBeNull();
  });
});
