import { type Request, type Response } from 'express';
import { z } from 'zod';
import { type EventLog } from '../../events/event-log';
import { keyState } from '../../keys/api-key';
import { type KeyStore } from '../../keys/key-store';
import { type SessionStore } from '../../keys/session-store';
import { type Logger } from '../../observability/logger';
import { type ApiRoute, defineRoute } from '../route';

export interface EventStreamTuning {
  /** How often the log is read for new events. @defaultValue 500 */
  pollMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. @defaultValue 15000 */
  heartbeatMs?: number;
  /**
   * How often an open stream re-reads its key (and its session, if opened with one), ending when the key was
   * revoked or expired or the session ended. @defaultValue 500
   */
  keyCheckMs?: number;
}

export interface EventRoutesOptions extends EventStreamTuning {
  events: EventLog;
  /** Where the caller's key is re-read while its stream is open. */
  keys: Pick<KeyStore, 'get'>;
  /** Where a stream opened with a session cookie checks that the session still exists (not signed out). */
  sessions: Pick<SessionStore, 'alive'>;
  logger: Logger;
  /** Aborted when the web process shuts down: every stream ends at once. */
  shutdown: AbortSignal;
}

const POSITION = /^\d{1,20}-\d{1,20}$/;

const eventsQuery = z.strictObject({
  since: z
    .string()
    .regex(POSITION, 'must be an event position (an `id:` of this stream)')
    .optional()
    .meta({ description: 'Resume after this position (what `Last-Event-ID` does for EventSource).' }),
  follow: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .meta({ description: '`false`: send what the log holds after the position, then end (scripts, curl).' }),
});

/**
 * `GET /events` (viewer): the event log as Server-Sent Events. Each event is `id: <stream position>`,
 * `event: <type>`, `data: <event JSON>`; a reconnecting client sends `Last-Event-ID` and misses nothing the
 * log still holds. The log is polled (one shared connection, no blocking read per client).
 */
export function eventRoutes(options: EventRoutesOptions): ApiRoute[] {
  const stream = defineRoute({
    method: 'get',
    path: '/events',
    operationId: 'streamEvents',
    summary: 'Live events (Server-Sent Events): signal.*, order.state_unknown, account.*',
    description:
      '`text/event-stream`. Without `Last-Event-ID` (or `since`) the stream starts at the newest event (with ' +
      '`follow=false`: at the oldest); a ' +
      'comment line is sent every 15 s. Each `data:` is `{ id, type, timestamp, data }`.',
    tags: ['system'],
    access: 'viewer',
    query: eventsQuery,
    responses: {
      200: {
        description: 'An endless `text/event-stream`.',
        mediaType: 'text/event-stream',
        schema: z.string().meta({
          description:
            'Blocks of `id: <position>`, `event: <type>`, `data: <event JSON>`, and `: keep-alive` comments.',
          example:
            'id: 1764511392347-0\nevent: signal.filled\ndata: {"id":"evt_…","type":"signal.filled",…}\n\n',
        }),
      },
    },
    async handler({ query, req, principal }) {
      const header = req.header('last-event-id');
      const resume = header !== undefined && POSITION.test(header) ? header : query.since;
      const from = resume ?? (query.follow ? await options.events.head() : '0');
      serve(
        req,
        req.res as Response,
        { from, follow: query.follow, keyId: principal.keyId, session: principal.session?.token },
        options,
      );
      return { status: 200, streamed: true };
    },
  });
  return [stream];
}

function serve(
  req: Request,
  res: Response,
  start: { from: string; follow: boolean; keyId: string; session?: string },
  options: EventRoutesOptions,
): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  // The browser reopens a dropped stream after this many ms: the dashboard polls nothing faster than 5 s.
  res.write('retry: 5000\n\n');
  let position = start.from;
  let closed = false;
  let reading = false;
  let failing = false;
  const poll = async () => {
    if (closed || reading) return;
    reading = true;
    try {
      for (;;) {
        const events = await options.events.readAfter(position, 100);
        for (const { position: at, ...event } of events) {
          res.write(`id: ${at}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          position = at;
        }
        if (events.length < 100 || closed) break;
      }
      if (failing) options.logger.info('event stream reading again');
      failing = false;
    } catch (error) {
      // Deliberately kept open: Redis may come back; the client resumes from the last id it saw anyway. Said
      // once per outage, not on every poll.
      if (!failing) options.logger.warn('event stream read failed', { error: (error as Error).message });
      failing = true;
    } finally {
      reading = false;
    }
  };
  // A stream is authenticated once, when it opens; revoking or expiring its key — or signing out of the
  // session it was opened with — must end it as soon as the next request would be refused (within a
  // second), not when the client goes away.
  const keyCheck = async () => {
    try {
      const record = await options.keys.get(start.keyId);
      if (!record || keyState(record, Date.now()) !== 'active') return end();
      if (start.session !== undefined && !(await options.sessions.alive(start.session))) end();
    } catch {
      // Deliberately kept open, as for a failed read: the key is checked again on the next tick.
    }
  };
  const timer = setInterval(() => void poll(), options.pollMs ?? 500);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  const keyTimer = setInterval(() => void keyCheck(), options.keyCheckMs ?? 500);
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    clearInterval(heartbeat);
    clearInterval(keyTimer);
    options.shutdown.removeEventListener('abort', end);
    res.end();
  };
  req.on('close', end);
  options.shutdown.addEventListener('abort', end);
  void poll().then(() => {
    if (!start.follow) end();
  });
}
