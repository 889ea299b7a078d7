import { type IncomingMessage, get } from 'node:http';
import { KeyStore } from '../../../src/keys/key-store';
import { redisKeys } from '../../../src/redis/keys';
import { issueKey } from '../../support/api-keys';
import { seedSignal } from '../../support/seed-signal';
import { type TestApp, eventually, startTestApp } from '../../support/test-app';
import { dropPrefix } from '../../support/test-redis';

let app: TestApp;
let viewer: string;

beforeAll(async () => {
  app = await startTestApp(
    'event-stream',
    {},
    { web: { management: { events: { pollMs: 20, heartbeatMs: 100 } } } },
  );
  viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
});
afterAll(() => app.close());

interface SseEvent {
  id: string;
  event: string;
  data: { id: string; type: string; data: { id: string; status: string } };
}

/** A real HTTP client reading the stream: parsed events, raw text, and whether the server ended it. */
function connect(headers: Record<string, string> = {}, path = '/api/v1/events') {
  const state = { events: [] as SseEvent[], raw: '', ended: false, status: 0, type: '' };
  let response: IncomingMessage | undefined;
  const req = get(
    `${app.url}${path}`,
    // A header given as '' is left out (a session client sends no authorization at all).
    {
      headers: Object.fromEntries(
        Object.entries({ authorization: `Bearer ${viewer}`, ...headers }).filter(([, value]) => value !== ''),
      ),
    },
    (res) => {
      response = res;
      state.status = res.statusCode ?? 0;
      state.type = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        state.raw += chunk;
        const blocks = state.raw.split('\n\n');
        state.events = blocks
          .map((block) =>
            Object.fromEntries(
              block
                .split('\n')
                .filter((l) => /^(id|event|data): /.test(l))
                .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
            ),
          )
          .filter((f) => f.data)
          .map((f) => ({ id: f.id, event: f.event, data: JSON.parse(f.data) }));
      });
      res.on('end', () => {
        state.ended = true;
      });
    },
  );
  req.on('error', () => undefined);
  return { state, close: () => (response ? response.destroy() : req.destroy()) };
}

describe('GET /api/v1/events (Server-Sent Events)', () => {
  it('when signals change status, then a connected client receives their events with stream positions as ids, and heartbeats', async () => {
    const client = connect();
    await eventually(async () => (client.state.status === 200 ? true : undefined));
    expect(client.state.type).toBe('text/event-stream; charset=utf-8');
    const id = await seedSignal(app.redis, app.prefix, 'failed');

    const events = await eventually(async () => {
      const mine = client.state.events.filter((e) => e.data.data.id === id);
      return mine.length >= 2 ? mine : undefined;
    });
    expect(events.map((e) => e.event)).toEqual(['signal.queued', 'signal.failed']);
    expect(events[0].id).toMatch(/^\d+-\d+$/);
    expect(events[1].data).toMatchObject({ type: 'signal.failed', data: { id, status: 'failed' } });
    await eventually(async () => (client.state.raw.includes(': keep-alive') ? true : undefined));
    client.close();
  });

  it('when a stream drops, then the browser is told to wait 5 s before it reconnects (no loop faster than every 5 s)', async () => {
    const client = connect();
    await eventually(async () => (client.state.raw.includes('\n\n') ? true : undefined));
    expect(client.state.raw.split('\n\n')[0]).toBe('retry: 5000');
    client.close();
  });

  it('when a client reconnects with Last-Event-ID, then it gets exactly the events after that one', async () => {
    const first = connect();
    await eventually(async () => (first.state.status === 200 ? true : undefined));
    const a = await seedSignal(app.redis, app.prefix, 'filled');
    const seenA = await eventually(async () => {
      const e = first.state.events.find((x) => x.data.data.id === a && x.event === 'signal.filled');
      return e;
    });
    first.close();
    const b = await seedSignal(app.redis, app.prefix, 'expired');

    const again = connect({ 'last-event-id': seenA.id });
    const got = await eventually(async () => {
      const mine = again.state.events.filter((e) => e.data.data.id === b);
      return mine.length >= 2 ? again.state.events : undefined;
    });
    expect(got.some((e) => e.data.data.id === a)).toBe(false);
    expect(got.filter((e) => e.data.data.id === b).map((e) => e.event)).toEqual([
      'signal.queued',
      'signal.expired',
    ]);
    again.close();
  });

  it('with follow=false, then the stream holds the log after the position and ends', async () => {
    const id = await seedSignal(app.redis, app.prefix, 'done');
    const client = connect({}, '/api/v1/events?follow=false');
    await eventually(async () => (client.state.ended ? true : undefined));
    const mine = client.state.events.filter((e) => e.data.data.id === id).map((e) => e.event);
    expect(mine).toEqual(['signal.queued', 'signal.done']);
  });

  it('when the key of an open stream is revoked, then the stream ends within a second', async () => {
    const own = await issueKey(app.redis, app.prefix, 'viewer');
    const client = connect({ authorization: `Bearer ${own.key}` });
    await eventually(async () => (client.state.status === 200 ? true : undefined));
    await new KeyStore(app.redis, redisKeys(app.prefix)).revoke(own.id, {
      now: Date.now(),
      guardLastAdmin: false,
    });
    const revokedAt = Date.now();
    await eventually(async () => (client.state.ended ? true : undefined), 1000);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('when the key of an open stream expires, then the stream ends within a second of its expiry', async () => {
    const expiresAt = Date.now() + 800;
    const own = await issueKey(app.redis, app.prefix, 'viewer', { expiresAt });
    const client = connect({ authorization: `Bearer ${own.key}` });
    await eventually(async () => (client.state.status === 200 ? true : undefined));
    await eventually(async () => (client.state.ended ? true : undefined), 3000);
    expect(Date.now() - expiresAt).toBeLessThan(1000);
  });

  it('when the session an open stream was opened with is signed out, then the stream ends within a second', async () => {
    const own = await issueKey(app.redis, app.prefix, 'viewer');
    const signIn = await fetch(`${app.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: own.key }),
    });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const client = connect({ authorization: '', cookie });
    await eventually(async () => (client.state.status === 200 ? true : undefined));
    const signOut = await fetch(`${app.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie, origin: app.url },
    });
    expect(signOut.status).toBe(204);
    const signedOutAt = Date.now();
    await eventually(async () => (client.state.ended ? true : undefined), 1000);
    expect(Date.now() - signedOutAt).toBeLessThan(1000);
  });

  it('refuses a bad position by name and an anonymous client with 401', async () => {
    const bad = connect({}, '/api/v1/events?since=yesterday');
    await eventually(async () => (bad.state.ended ? true : undefined));
    expect(bad.state.status).toBe(400);
    expect(JSON.parse(bad.state.raw).issues[0].path).toBe('query.since');
    const anonymous = connect({ authorization: '' });
    await eventually(async () => (anonymous.state.ended ? true : undefined));
    expect(anonymous.state.status).toBe(401);
  });
});

describe('GET /api/v1/events on shutdown', () => {
  it('when the web process closes, then open streams end cleanly at once', async () => {
    const own = await startTestApp('event-stream-close');
    const key = (await issueKey(own.redis, own.prefix, 'viewer')).key;
    const state = { ended: false, status: 0 };
    get(`${own.url}/api/v1/events`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      state.status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => {
        state.ended = true;
      });
    }).on('error', () => undefined);
    await eventually(async () => (state.status === 200 ? true : undefined));
    // A grace far beyond the test's timeout: only ending the streams at once lets the server close in time.
    await own.web.close(600_000);
    expect(state.ended).toBe(true);
    await dropPrefix(own.prefix);
    own.redis.disconnect();
  });
});
