import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePosition, type Positioned } from '../../../adapters/memory/record-order.js';
import { SortedRecords } from '../../../adapters/memory/sorted-records.js';

interface Row extends Positioned {
  readonly version: number;
}

const BASE = Date.UTC(2025, 0, 1);

/** A small id alphabet and few instants, so ties and binary-order cases come up often. */
const rowArbitrary = fc.record({
  createdAt: fc.integer({ min: 0, max: 4 }).map((offset) => new Date(BASE + offset)),
  id: fc.constantFrom('a', 'A', 'b', 'B', '0', 'z', 'Z', 'aa'),
  version: fc.nat(),
});

const operationArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), row: rowArbitrary }),
  fc.record({
    kind: fc.constant('remove' as const),
    id: fc.constantFrom('a', 'A', 'b', 'B', '0', 'z', 'Z', 'aa'),
  }),
);

type Operation = { kind: 'put'; row: Row } | { kind: 'remove'; id: string };

/** Applies operations to a SortedRecords and to a plain Map (the model), as MemoryTables does. */
function apply(operations: readonly Operation[]): { sorted: SortedRecords<Row>; expected: Row[] } {
  const sorted = new SortedRecords<Row>();
  const model = new Map<string, Row>();
  for (const operation of operations) {
    if (operation.kind === 'put') {
      const previous = model.get(operation.row.id);
      if (previous === undefined) sorted.insert(operation.row);
      else sorted.replace(previous, operation.row);
      model.set(operation.row.id, operation.row);
    } else {
      const previous = model.get(operation.id);
      if (previous !== undefined) sorted.remove(previous);
      model.delete(operation.id);
    }
  }
  return { sorted, expected: [...model.values()].sort(comparePosition) };
}

describe('SortedRecords', () => {
  it('holds exactly the live rows in (createdAt, id) order after any inserts, replaces and removes', () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 60 }), (operations) => {
        const { sorted, expected } = apply(operations);
        expect([...sorted.ascendingAfter(undefined)]).toEqual(expected);
        expect([...sorted.descendingBefore(undefined)]).toEqual([...expected].reverse());
        expect(sorted.size).toBe(expected.length);
      }),
    );
  });

  it('iterates strictly after / before any cursor, stored or not', () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 40 }), rowArbitrary, (operations, cursor) => {
        const { sorted, expected } = apply(operations);
        expect([...sorted.ascendingAfter(cursor)]).toEqual(
          expected.filter((row) => comparePosition(row, cursor) > 0),
        );
        expect([...sorted.descendingBefore(cursor)]).toEqual(
          expected.filter((row) => comparePosition(row, cursor) < 0).reverse(),
        );
      }),
    );
  });

  it('orders ids in binary (code unit) order on equal createdAt', () => {
    const sorted = new SortedRecords<Row>();
    for (const id of ['z', 'a', 'Z', 'A', '0']) sorted.insert({ createdAt: new Date(BASE), id, version: 1 });
    expect([...sorted.ascendingAfter(undefined)].map((row) => row.id)).toEqual(['0', 'A', 'Z', 'a', 'z']);
  });
});
