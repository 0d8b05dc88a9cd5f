import { type Kysely, PostgresAdapter, SqliteAdapter } from 'kysely';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';

/** The SQL dialects keyward supports. */
export type KyselyDialectName = 'sqlite' | 'postgres';

/** The dialect the instance's Kysely adapter reveals, or `null` (another dialect, or another Kysely copy). */
function detectDialect(db: Kysely<unknown>): KyselyDialectName | null {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  return null;
}

/**
 * The dialect of a Kysely instance: the one given (which must match what the instance reveals),
 * else the one detected. Throws `INVALID_CONFIG` for anything but SQLite and PostgreSQL.
 *
 * @internal
 */
export function resolveDialect(db: Kysely<unknown>, given: KyselyDialectName | undefined): KyselyDialectName {
  if (given !== undefined && given !== 'sqlite' && given !== 'postgres') {
    throw invalidDialect("Expected dialect 'sqlite' or 'postgres'");
  }
  const detected = detectDialect(db);
  if (given !== undefined) {
    if (detected !== null && detected !== given) {
      throw invalidDialect(`The Kysely instance is ${detected}, not ${given}`);
    }
    return given;
  }
  if (detected === null)
    throw invalidDialect("Could not tell the dialect: pass { dialect: 'sqlite' | 'postgres' }");
  return detected;
}

function invalidDialect(message: string): KeywardError {
  return new KeywardError(ERROR_CODES.INVALID_CONFIG, message, {
    issues: [{ code: 'invalid_value', path: ['dialect'], message }],
  });
}
