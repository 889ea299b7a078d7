import { z } from 'zod';
import { ApiError } from '../../../src/api/api-error';
import { decodeCursor, encodeCursor, paginationQuery } from '../../../src/api/pagination';

describe('cursors', () => {
  const position = z.string().regex(/^\d+-\d+$/);

  it('when a position is encoded, then decoding gives it back and the cursor is opaque base64url', () => {
    const cursor = encodeCursor('1700000000000-3');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('1700000000000');
    expect(decodeCursor(cursor, position)).toBe('1700000000000-3');
  });

  it('when there is no cursor, then there is no position', () => {
    expect(decodeCursor(undefined, position)).toBeUndefined();
  });

  it.each([
    ['garbage', '%%%'],
    ['base64 of text', Buffer.from('hello').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, p: '1-1' })).toString('base64url')],
    ['a position of another shape', encodeCursor({ id: 1 })],
    ['a huge number', encodeCursor('9'.repeat(400))],
  ])('when the cursor is %s, then a 400 names query.cursor', (_case, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, position);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).issues).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
  });

  it('when limit is absent, then 50; it must be 1-200', () => {
    expect(paginationQuery.parse({}).limit).toBe(50);
    expect(paginationQuery.parse({ limit: '200' }).limit).toBe(200);
    expect(paginationQuery.safeParse({ limit: '201' }).success).toBe(false);
    expect(paginationQuery.safeParse({ limit: '1.5' }).success).toBe(false);
  });
});
