import { z } from 'zod';

/** Page size: 1-100, default 50. */
export const limitSchema = z.number().int().min(1).max(100).default(50);

/** An opaque cursor returned as `nextCursor` by a previous page. */
export const cursorSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'Malformed cursor');

/** One page of a list. `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
