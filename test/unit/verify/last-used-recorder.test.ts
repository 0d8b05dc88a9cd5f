import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { StorageAdapter } from '../../../src/index.js';
import { LastUsedRecorder, MAX_TRACKED_KEYS, TOUCH_BATCH } from '../../../src/verify/last-used-recorder.js';

type TouchArgs = Parameters<StorageAdapter['touchKeys']>[0];

/** A storage whose touchKeys records every call and fails while `failing` is set. */
function touchLog() {
  const calls: TouchArgs['entries'][] = [];
  const state = { failing: false };
  const storage = Object.create(memoryAdapter(), {
    touchKeys: {
      value: async (args: TouchArgs) => {
        if (state.failing) throw new Error('storage is down');
        calls.push(args.entries);
      },
    },
  }) as StorageAdapter;
  const written = () => new Map(calls.flat().map((entry) => [entry.keyId, entry.lastUsedAt.getTime()]));
  return { storage, calls, state, written };
}

function recorder(storage: StorageAdapter, clock: { now: number }, errors: unknown[] = []) {
  return new LastUsedRecorder({
    storage,
    intervalMs: 60_000,
    clock: () => clock.now,
    onError: (e) => errors.push(e),
  });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('lastUsedAt recorder', () => {
  it('writes a large flush as many short batches, never one long write', async () => {
    const { storage, calls } = touchLog();
    const clock = { now: 1_000 };
    const lastUsed = recorder(storage, clock);
    for (let i = 0; i < 1_000; i++) lastUsed.record(`key${i}`, clock.now);
    await lastUsed.flush();
    expect(calls).toHaveLength(Math.ceil(1_000 / TOUCH_BATCH));
    expect(Math.max(...calls.map((batch) => batch.length))).toBe(TOUCH_BATCH);
    expect(calls.flat()).toHaveLength(1_000);
  });

  it('keeps the uses of a failed write and writes them once storage is back', async () => {
    const { storage, state, written } = touchLog();
    const clock = { now: 1_000 };
    const errors: unknown[] = [];
    const lastUsed = recorder(storage, clock, errors);
    state.failing = true;
    lastUsed.record('a', 1_000);
    lastUsed.record('b', 1_001);
    await tick();
    expect(errors).toHaveLength(1);
    lastUsed.record('a', 1_500);
    state.failing = false;
    await lastUsed.flush();
    expect(written()).toEqual(
      new Map([
        ['a', 1_500],
        ['b', 1_001],
      ]),
    );
    lastUsed.stop();
  });

  it('stays within its memory bound whatever the number of distinct keys', async () => {
    const { storage } = touchLog();
    const clock = { now: 1_000 };
    const lastUsed = recorder(storage, clock);
    for (let i = 0; i < 3 * MAX_TRACKED_KEYS; i++) {
      lastUsed.record(`key${i}`, clock.now);
      if (i % 10_000 === 0) await tick();
    }
    await lastUsed.flush();
    expect(lastUsed.size).toBeLessThanOrEqual(MAX_TRACKED_KEYS);
    lastUsed.stop();
  });

  it('stays within its memory bound while storage is down, reporting what it drops', async () => {
    const { storage, state } = touchLog();
    state.failing = true;
    const clock = { now: 1_000 };
    const errors: unknown[] = [];
    const lastUsed = recorder(storage, clock, errors);
    for (let i = 0; i < 2 * MAX_TRACKED_KEYS; i++) {
      lastUsed.record(`key${i}`, clock.now);
      if (i % 10_000 === 0) await tick();
    }
    await lastUsed.flush();
    expect(lastUsed.size).toBeLessThanOrEqual(MAX_TRACKED_KEYS + TOUCH_BATCH);
    expect(errors.some((error) => String(error).includes('dropped'))).toBe(true);
    lastUsed.stop();
  });
});
