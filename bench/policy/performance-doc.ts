import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineName } from './engine.js';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'performance.md');
const BEGIN = '<!-- policy-bench:begin -->';
const END = '<!-- policy-bench:end -->';

/** One row of `bench/results/policy.json`. */
export interface PolicyRow {
  readonly engine: EngineName;
  readonly tenants: number;
  readonly decisionsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/** The measured table as markdown, with keyward's throughput relative to each engine. */
export function markdownTable(
  rows: readonly PolicyRow[],
  hotSet: readonly PolicyRow[],
  machine: { node: string; cpu: string },
  date: string,
): string {
  const lines = [
    `Measured ${date} on ${machine.cpu}, Node ${machine.node}, with \`npm run bench -- policy\`.`,
    '',
    '| tenants | engine | decisions/s | p50 (µs) | p99 (µs) | keyward speed-up |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const ours = rows.find((r) => r.engine === 'keyward' && r.tenants === row.tenants)!;
    const ratio =
      row.engine === 'keyward' ? '1x' : `${Math.round(ours.decisionsPerSec / row.decisionsPerSec)}x`;
    lines.push(
      `| ${row.tenants.toLocaleString('en-US')} | ${row.engine} | ${row.decisionsPerSec.toLocaleString('en-US')} | ${row.p50Us} | ${row.p99Us} | ${ratio} |`,
    );
  }
  lines.push(
    '',
    'keyward on the requests of 10 tenants only, inside the same world (a hot working set):',
    '',
    '| tenants in the world | decisions/s | p50 (µs) | p99 (µs) |',
    '| ---: | ---: | ---: | ---: |',
    ...hotSet.map(
      (row) =>
        `| ${row.tenants.toLocaleString('en-US')} | ${row.decisionsPerSec.toLocaleString('en-US')} | ${row.p50Us} | ${row.p99Us} |`,
    ),
  );
  return lines.join('\n');
}

/** Replaces the table between the policy-bench markers of docs/performance.md (when they exist). */
export function updatePerformanceDoc(table: string): boolean {
  let doc: string;
  try {
    doc = readFileSync(DOC, 'utf8');
  } catch {
    return false;
  }
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) return false;
  writeFileSync(DOC, `${doc.slice(0, begin + BEGIN.length)}\n${table}\n${doc.slice(end)}`);
  return true;
}
