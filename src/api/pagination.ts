import { z } from 'zod';
import { ApiError } from './api-error';

/** `limit` and `cursor`, the query of every list route (extend it with the route's own filters). */
export const paginationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Items per page, 1-200.' }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page; absent for the first page.' }),
});

/** The answer of every list route: a page of items and the cursor of the next page (null at the end). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page.' }),
  });
}

/**
 * Wraps a route's own position (any JSON value: a stream id, an index member) in an opaque cursor, so that
 * clients never build one and a route may change what it keeps in it.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, p: position }), 'utf8').toString('base64url');
}

/**
 * The position inside a cursor this API issued, checked against `position`; a 400 naming `cursor` for
 * anything else (garbage, another route's cursor, a hand-made one).
 */
export function decodeCursor<T extends z.ZodType>(
  cursor: string | undefined,
  position: T,
): z.output<T> | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = /^[A-Za-z0-9_-]+$/.test(cursor)
      ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
      : undefined;
  } catch {
    decoded = undefined;
  }
  const envelope = z.object({ v: z.literal(1), p: z.unknown() }).safeParse(decoded);
  const parsed = envelope.success ? position.safeParse(envelope.data.p) : undefined;
  if (parsed?.success) return parsed.data;
  throw new ApiError('invalid_request', 'the request query is not valid', {
    issues: [
      { path: 'query.cursor', message: 'not a cursor of this list; pass nextCursor as it was answered' },
    ],
  });
}
