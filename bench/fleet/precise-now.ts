/** Wall-clock time with sub-millisecond resolution, comparable between processes of one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
