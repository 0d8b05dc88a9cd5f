import { BASE62 } from '../entities/ids.js';

/**
 * `length` random base62 characters from the platform CSPRNG (test data only).
 *
 * @internal
 */
export function randomBase62(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}

/**
 * A fresh service account id (`sa_` + 16 base62), optionally starting with `first`.
 *
 * @internal
 */
export function testServiceAccountId(first = ''): string {
  return `sa_${first}${randomBase62(16 - first.length)}`;
}

/**
 * A fresh key id (16 base62), optionally starting with `first`.
 *
 * @internal
 */
export function testKeyId(first = ''): string {
  return `${first}${randomBase62(16 - first.length)}`;
}

/**
 * A fresh audit event id (`ev_` + 16 base62), optionally starting with `first`.
 *
 * @internal
 */
export function testAuditEventId(first = ''): string {
  return `ev_${first}${randomBase62(16 - first.length)}`;
}

/**
 * A fresh tenant id, so tests never see each other's rows even without a reset.
 *
 * @internal
 */
export function testTenantId(): string {
  return `tenant-${randomBase62(12)}`;
}

/**
 * A random lowercase hex SHA-256-sized digest.
 *
 * @internal
 */
export function testDigest(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
