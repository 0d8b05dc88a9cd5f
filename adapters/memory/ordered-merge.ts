/**
 * Merges two sequences already sorted by `compare` into one sorted sequence, lazily.
 *
 * @internal
 */
export function* mergeOrdered<T>(
  left: Iterable<T>,
  right: Iterable<T>,
  compare: (a: T, b: T) => number,
): Generator<T, void, undefined> {
  const rightIterator = right[Symbol.iterator]();
  let next = rightIterator.next();
  for (const item of left) {
    while (!next.done && compare(next.value, item) < 0) {
      yield next.value;
      next = rightIterator.next();
    }
    yield item;
  }
  while (!next.done) {
    yield next.value;
    next = rightIterator.next();
  }
}

/**
 * The items of `source` for which `keep` is true, lazily.
 *
 * @internal
 */
export function* filterLazily<T>(
  source: Iterable<T>,
  keep: (item: T) => boolean,
): Generator<T, void, undefined> {
  for (const item of source) {
    if (keep(item)) yield item;
  }
}
