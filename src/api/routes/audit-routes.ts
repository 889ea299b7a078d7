import { z } from 'zod';
import { type AuditLog, isAuditCursor } from '../../audit/audit-log';
import { decodeCursor, encodeCursor, pageSchema, paginationQuery } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import { timeRange } from '../validation';

const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.object({
      keyId: z.string().nullable(),
      keyName: z.string(),
      via: z.enum(['bearer', 'session', 'cli', 'system']),
    }),
    action: z.string().meta({ example: 'key.create' }),
    target: z.string().nullable().meta({ example: 'key:key_5f0c1e2d3b4a6978' }),
    requestId: z.string().nullable(),
    status: z
      .number()
      .int()
      .meta({ description: 'The HTTP status answered; 0 outside HTTP (CLI, start-up).' }),
    outcome: z.enum(['success', 'failure']),
  })
  .meta({ id: 'AuditEntry' });

const auditQuery = paginationQuery.extend({
  keyId: z.string().max(64).optional().meta({ description: 'Only writes by this key.' }),
  action: z.string().max(64).optional().meta({ description: 'Only this action, e.g. `key.revoke`.' }),
  since: z.iso.datetime({ offset: true }).optional().meta({ description: 'From this time (inclusive).' }),
  until: z.iso.datetime({ offset: true }).optional().meta({ description: 'Up to this time (inclusive).' }),
});

const streamPosition = z.string().refine(isAuditCursor);

/** `GET /audit` (admin): every write through the API, newest first. */
export function auditRoutes(options: { audit: AuditLog }): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      operationId: 'listAudit',
      summary: 'The audit trail of every write through the API, newest first',
      description: 'Kept `HISTORY_RETENTION_DAYS`. Reads are not audited.',
      tags: ['audit'],
      access: 'admin',
      query: auditQuery,
      responses: { 200: { description: 'A page of entries.', schema: pageSchema(auditEntrySchema) } },
      async handler({ query }) {
        const { entries, next } = await options.audit.list({
          keyId: query.keyId,
          action: query.action,
          ...timeRange(query),
          limit: query.limit,
          after: decodeCursor(query.cursor, streamPosition),
        });
        return { status: 200, body: { items: entries, nextCursor: next ? encodeCursor(next) : null } };
      },
    }),
  ];
}
