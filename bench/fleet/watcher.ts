/**
 * Instance B of the fleet bench (a child process): opens its own keyward over the shared store,
 * then for each `watch <token>` line on stdin verifies that token until it is cached and answers
 * `ready`, and keeps verifying it (one verification per event-loop turn, so notifications get in)
 * until it is refused, answering `refused <code> <time>`.
 */
import { createInterface } from 'node:readline';
import { type FleetStore, openFleetInstance } from '../../test/support/fleet-instance.js';
import { preciseNow } from './precise-now.js';

const store = JSON.parse(process.argv[2] ?? '{}') as FleetStore;
const { kw, close } = await openFleetInstance(store);
const request = {
  action: 'datasets:read',
  resource: { tenantId: 't_fleet', workspaceId: 'w_fleet', datasetId: 'd_1' },
};
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function watch(token: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const first = await kw.verify(token, request);
    if (!first.ok) {
      console.log(`error ${first.code}`);
      return;
    }
  }
  console.log('ready');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const result = await kw.verify(token, request);
    if (!result.ok) {
      console.log(`refused ${result.code} ${preciseNow()}`);
      return;
    }
    await turn();
  }
  console.log('timeout');
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.startsWith('watch ')) await watch(line.slice('watch '.length));
  else if (line === 'exit') break;
}
await close();
