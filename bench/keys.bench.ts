/**
 * Keys benchmark: token generation, parsing (valid and malformed), hashing with the noble
 * (pure JS) and node (native) hashers, and `matches` (the per-request compare).
 * Run with `npm run bench -- keys`; figures go to bench/results/keys.json.
 */
import { nodeHasher } from '../adapters/node/index.js';
import {
  createTokenHasher,
  createTokenParser,
  generateKey,
  type Hasher,
  nobleHasher,
} from '../src/keys/index.js';
import { measureSync, writeResults } from './report.js';

interface Row {
  op: string;
  hasher?: string;
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
}

const PREFIX = 'acme';
const PEPPER = { id: 'bench', secret: 'bench-pepper-0123456789abcdef-0123456789' };

/** A value the measured closures write to, so the work cannot be optimised away. */
let sink = 0;

/** Malformed inputs that a scanner or a confused client sends, one of each rejection path. */
function malformedSamples(valid: string): string[] {
  const flip = (i: number): string => valid.slice(0, i) + (valid[i] === 'a' ? 'b' : 'a') + valid.slice(i + 1);
  return [
    '',
    'Bearer',
    valid.slice(0, -1),
    `${valid} `,
    `ghp_${'x'.repeat(36)}`,
    `acmf${valid.slice(4)}`,
    `${valid.slice(0, 30)}-${valid.slice(31)}`,
    flip(40),
    flip(valid.length - 1),
  ];
}

function hasherRows(hasher: Hasher, tokens: string[]): Row[] {
  const plain = createTokenHasher({ hasher });
  const peppered = createTokenHasher({ hasher, pepper: PEPPER });
  const n = tokens.length;
  const plainStored = tokens.map((t) => plain.hash(t));
  const pepperedStored = tokens.map((t) => peppered.hash(t));
  const row = (op: string, fn: (i: number) => unknown): Row => ({
    op,
    hasher: hasher.name,
    ...measureSync(fn),
  });
  return [
    row('hash sha256', (i) => (sink ^= plain.hash(tokens[i % n]!).hash.length)),
    row('hash hmac', (i) => (sink ^= peppered.hash(tokens[i % n]!).hash.length)),
    row('matches sha256', (i) => (sink ^= Number(plain.matches(tokens[i % n]!, plainStored[i % n]!)))),
    row('matches hmac', (i) => (sink ^= Number(peppered.matches(tokens[i % n]!, pepperedStored[i % n]!)))),
  ];
}

/** Runs the keys suite, prints a table and writes bench/results/keys.json. */
export async function run(): Promise<void> {
  const tokenHasher = createTokenHasher({ hasher: nodeHasher });
  const nobleTokens = createTokenHasher({ hasher: nobleHasher });
  const tokens = Array.from(
    { length: 1024 },
    () => generateKey({ prefix: PREFIX, hasher: tokenHasher }).token,
  );
  const malformed = malformedSamples(tokens[0]!);
  const parse = createTokenParser({ prefix: PREFIX });
  const n = tokens.length;
  const m = malformed.length;

  const rows: Row[] = [
    {
      op: 'generate',
      hasher: 'noble',
      ...measureSync(() => (sink ^= generateKey({ prefix: PREFIX, hasher: nobleTokens }).token.length)),
    },
    {
      op: 'generate',
      hasher: 'node',
      ...measureSync(() => (sink ^= generateKey({ prefix: PREFIX, hasher: tokenHasher }).token.length)),
    },
    { op: 'parse valid', ...measureSync((i) => (sink ^= parse(tokens[i % n]!).ok ? 1 : 0)) },
    { op: 'parse malformed (mixed)', ...measureSync((i) => (sink ^= parse(malformed[i % m]!).ok ? 1 : 0)) },
    {
      op: 'parse malformed (bad_checksum)',
      ...measureSync((i) => (sink ^= parse(malformed[7 + (i & 1)]!).ok ? 1 : 0)),
    },
    ...hasherRows(nobleHasher, tokens),
    ...hasherRows(nodeHasher, tokens),
  ];

  console.table(rows.map((r) => ({ ...r, hasher: r.hasher ?? '' })));
  const path = writeResults('keys', { rows });
  console.log(`wrote ${path} (sink ${sink & 1})`);
}
