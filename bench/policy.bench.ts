/**
 * `npm run bench -- policy`: keyward's evaluator against cedar-wasm (preparsed policy set,
 * stateful calls) and casbin (RBAC with domains), in one process, on the same generated world
 * and request mix. All engines must agree on every decision before anything is timed.
 *
 * Environment: POLICY_BENCH_TIERS=10,100 (default 10,100,1000), POLICY_BENCH_SECONDS=3
 * (per engine and tier, split over 3 interleaved rounds), POLICY_BENCH_REQUESTS=20000 (mix
 * size per tier).
 */

import type { Policy } from '../src/policy/index.js';
import { casbinEngine } from './policy/casbin-engine.js';
import { cedarEngine } from './policy/cedar-engine.js';
import type { Engine } from './policy/engine.js';
import { benchPolicy, type KeywardRequest, keywardEngine } from './policy/keyward-engine.js';
import { type Contender, measureRounds } from './policy/measure.js';
import { markdownTable, type PolicyRow, updatePerformanceDoc } from './policy/performance-doc.js';
import { type BenchRequest, generateRequests, MIX } from './policy/request-mix.js';
import { generateWorld, SHAPE } from './policy/world.js';
import { machine, writeResults } from './report.js';

const NOW = 1_700_000_000_000;
const TIERS = (process.env.POLICY_BENCH_TIERS ?? '10,100,1000').split(',').map(Number);
const SECONDS = Number(process.env.POLICY_BENCH_SECONDS ?? 3);
const ROUNDS = 3;
const REQUESTS = Number(process.env.POLICY_BENCH_REQUESTS ?? 20_000);
/** keyward is below timer resolution per decision: batches of 10 for latency; the others per decision. */
const TIMING = {
  keyward: { batch: 10, chunk: 10_000 },
  'cedar-wasm': { batch: 1, chunk: 20 },
  casbin: { batch: 1, chunk: 20 },
} as const;

/** Requests of the first 10 tenants only: a hot working set inside the same world. */
const HOT_TENANTS = 10;

export async function run(): Promise<void> {
  const policy = benchPolicy();
  const rows: PolicyRow[] = [];
  const hotSet: PolicyRow[] = [];
  for (const tenants of TIERS) {
    const tier = await runTier(policy, tenants);
    rows.push(...tier.rows);
    hotSet.push(tier.hot);
  }
  const path = writeResults('policy', {
    command: 'npm run bench -- policy',
    world: { tiers: TIERS, ...SHAPE },
    mix: Object.fromEntries(MIX),
    requestsPerTier: REQUESTS,
    rows,
    keywardHotSet: hotSet,
  });
  const table = markdownTable(rows, hotSet, machine(), new Date().toISOString().slice(0, 10));
  console.log(`\n${table}\n\nwrote ${path}${updatePerformanceDoc(table) ? ' and docs/performance.md' : ''}`);
}

/** Builds one tier's world, checks agreement, then times every engine (and keyward's hot set). */
async function runTier(policy: Policy, tenants: number): Promise<{ rows: PolicyRow[]; hot: PolicyRow }> {
  const started = performance.now();
  const world = generateWorld(tenants);
  const requests = generateRequests(world, policy, REQUESTS);
  const keyward = keywardEngine(world, policy, NOW);
  const engines: Engine[] = [keyward, cedarEngine(world, policy), await casbinEngine(world, policy)];
  const encoded = engines.map((engine) => requests.map((request) => engine.encode(request)));
  checkAgreement(requests, engines, encoded, (i) => keyward.explain(encoded[0]![i] as never).reason);
  const setup = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${tenants} tenants: ${world.keys.length} keys, ${requests.length} requests, all engines agree (setup ${setup} s)`,
  );
  const hot = (encoded[0] as KeywardRequest[]).filter(
    (_, i) => world.tenantIds.indexOf(requests[i]!.key.tenantId) < HOT_TENANTS,
  );
  const contenders: Contender[] = [
    ...engines.map((engine, e) => ({ decide: engine.decide, requests: encoded[e]!, ...TIMING[engine.name] })),
    { decide: keyward.decide as Contender['decide'], requests: hot, ...TIMING.keyward },
  ];
  const results = measureRounds(contenders, SECONDS, ROUNDS);
  const rows = engines.map((engine, e) => {
    report(engine.name, results[e]!);
    return { engine: engine.name, tenants, ...results[e]! };
  });
  report(`keyward, requests of ${HOT_TENANTS} tenants only`, results[engines.length]!);
  return { rows, hot: { engine: 'keyward', tenants, ...results[engines.length]! } };
}

function report(name: string, result: { decisionsPerSec: number; p50Us: number; p99Us: number }): void {
  const rate = result.decisionsPerSec.toLocaleString('en-US').padStart(12);
  console.log(`  ${name.padEnd(11)} ${rate} decisions/s  p50 ${result.p50Us} µs  p99 ${result.p99Us} µs`);
}

/** Aborts unless every engine gives the same answer on every request, and keyward the expected reason. */
function checkAgreement(
  requests: readonly BenchRequest[],
  engines: readonly Engine[],
  encoded: readonly (readonly unknown[])[],
  reasonOf: (i: number) => string,
): void {
  const problems: string[] = [];
  requests.forEach((request, i) => {
    const answers = engines.map((engine, e) => engine.decide(encoded[e]![i]));
    const reason = reasonOf(i);
    if (reason !== request.expected || answers.some((a) => a !== (request.expected === 'allowed'))) {
      const who = engines.map((engine, e) => `${engine.name}=${answers[e]}`).join(' ');
      problems.push(
        `${request.key.keyId} ${request.action} ${JSON.stringify(request.resource)}: expected ${request.expected}, keyward ${reason}; ${who}`,
      );
    }
  });
  if (problems.length > 0) {
    throw new Error(
      `Engines disagree on ${problems.length} of ${requests.length} decisions:\n${problems.slice(0, 10).join('\n')}`,
    );
  }
}
