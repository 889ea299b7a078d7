import { type Redis } from 'ioredis';
import { WARM_UP_ALERTS, WARM_UP_ROUND } from '../../../src/main/intake-warm-up';
import { startOwnRedis } from '../../support/own-redis';
import { type TestApp, eventually, startTestApp } from '../../support/test-app';
import { webhookAlert } from '../../support/webhook-alert';

/** Sends one real alert to the web's webhook; its answer's status and body. */
async function sendAlert(app: TestApp, id: string): Promise<{ status: number; body: { id?: string } }> {
  const res = await fetch(`${app.url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: webhookAlert(id),
  });
  return { status: res.status, body: (await res.json()) as { id?: string } };
}

/** Every key under `pattern` (SCAN). */
async function keysOf(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

/** Every value stored under the prefix, as text (strings, hashes, lists, sets, sorted sets, streams). */
async function valuesOf(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  for (const key of await keysOf(redis, `${prefix}:*`)) {
    const type = await redis.type(key);
    if (type === 'string') out.push((await redis.get(key)) ?? '');
    else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
  }
  return out.join('\n');
}

/** The sum of a counter's samples on `/metrics` whose line starts with `prefix`. */
const counted = async (app: TestApp, prefix: string) => {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
};
const alertsCounted = (app: TestApp) => counted(app, 'tradehook_alerts_total{');

/**
 * The web's warm-up (src/main/intake-warm-up.ts): alerts of its own through the webhook's code, on keys of
 * its own, which leave nothing behind — no record, job, event, metric or log line, no key — and which give
 * way to real alerts at once.
 */
describe('intake warm-up', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Two rounds and a half: the rounds' clean-ups run too.
    app = await startTestApp('warm-up', {}, { web: { warmUpAlerts: 2.5 * WARM_UP_ROUND } });
  });
  afterAll(() => app.close());

  it('when it runs, then every alert is accepted in both modes and nothing of it is left: keys, records, jobs, events, metrics, logs', async () => {
    // One real alert first, so that the real keys it leaves can be compared.
    const real = await sendAlert(app, 'real-before');
    expect(real.status).toBe(202);
    const keysBefore = await keysOf(app.redis, `${app.prefix}:*`);
    const eventsBefore = await app.redis.xlen(`${app.prefix}:events`);
    const recordsBefore = await app.redis.zcard(`${app.prefix}:signals`);
    const alertsBefore = await alertsCounted(app);
    const doneBefore = await counted(app, 'tradehook_warm_ups_total{ended="done"}');
    const linesBefore = app.logs.lines.length;

    const result = await app.web.warmUp();

    // The test app accepts tokens and signatures: both modes ran, every alert was accepted.
    expect(result).toMatchObject({ sent: 2.5 * WARM_UP_ROUND, accepted: 2.5 * WARM_UP_ROUND, ended: 'done' });
    expect(await keysOf(app.redis, `${app.prefix}:warm-up*`)).toEqual([]);
    expect(await keysOf(app.redis, `${app.prefix}:*`)).toEqual(keysBefore);
    expect(await app.redis.xlen(`${app.prefix}:events`)).toBe(eventsBefore);
    expect(await app.redis.zcard(`${app.prefix}:signals`)).toBe(recordsBefore);
    expect(await alertsCounted(app)).toBe(alertsBefore);
    // Only the warm-ups' own counter counts it.
    expect(await counted(app, 'tradehook_warm_ups_total{ended="done"}')).toBe(doneBefore + 1);
    expect(app.logs.lines.slice(linesBefore)).toEqual([]);
  });

  it('when it runs, then Redis holds one round of it at a time, and no configured token or secret is stored or logged', async () => {
    const seen: string[] = [];
    let most = 0;
    let warming = true;
    const watchers = Promise.all([
      (async () => {
        while (warming) seen.push(await valuesOf(app.redis, `${app.prefix}:warm-up`));
      })(),
      (async () => {
        while (warming) most = Math.max(most, await app.redis.zcard(`${app.prefix}:warm-up:signals`));
      })(),
    ]);
    try {
      expect(await app.web.warmUp()).toMatchObject({ accepted: 2.5 * WARM_UP_ROUND, ended: 'done' });
    } finally {
      warming = false;
      await watchers;
    }
    // Redis held one round's records at most.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(WARM_UP_ROUND);
    const stored = seen.join('\n');
    // The watcher saw the warm-up's records while they existed…
    expect(stored).toContain('warm-up-');
    // …and none carried a configured credential.
    for (const secret of [
      'test-token-1',
      'test-token-2',
      'dGVzdC1zZWNyZXQtMTIzNDU2Nzg5MA==',
      'plain-secret-rotated',
    ]) {
      expect(stored).not.toContain(secret);
      expect(app.logs.text()).not.toContain(secret);
    }
  });

  it('when its clean-up fails, then the warm-up fails and is counted so, in no other count', async () => {
    const count = (ended: string) => counted(app, `tradehook_warm_ups_total{ended="${ended}"}`);
    const before = {
      failed: await count('failed'),
      done: await count('done'),
      alerts: await alertsCounted(app),
    };
    // The shadow's signal index made unreadable as one: the clean-up, which reads it, fails.
    const index = `${app.prefix}:warm-up:signals`;
    await app.redis.set(index, 'not a sorted set');
    try {
      await expect(app.web.warmUp()).rejects.toThrow(/WRONGTYPE/);
      expect(await count('failed')).toBe(before.failed + 1);
      expect(await count('done')).toBe(before.done);
      expect(await alertsCounted(app)).toBe(before.alerts);
    } finally {
      // This failure is made up: its alerts' records could not be indexed, so no clean-up can find them
      // (a real one, Redis gone mid-way, leaves the index for the next warm-up to sweep). Removed here.
      const left = await keysOf(app.redis, `${app.prefix}:warm-up:*`);
      if (left.length > 0) await app.redis.unlink(...left);
    }
  });

  it('when a real alert arrives during a warm-up, then the warm-up stops, cleans up, and the real alert is queued', async () => {
    const running = app.web.warmUp();
    // Once the warm-up is under way (its first records exist)…
    await eventually(async () =>
      (await app.redis.zcard(`${app.prefix}:warm-up:signals`)) > 0 ? true : undefined,
    );
    // …a real alert.
    const real = await sendAlert(app, 'real-during');
    expect(real.status).toBe(202);
    const result = await running;
    expect(result).toMatchObject({ ended: 'activity' });
    expect(await counted(app, 'tradehook_warm_ups_total{ended="activity"}')).toBeGreaterThanOrEqual(1);
    expect(result?.sent).toBeLessThan(2.5 * WARM_UP_ROUND);
    expect(await keysOf(app.redis, `${app.prefix}:warm-up*`)).toEqual([]);
    expect(await app.redis.hget(`${app.prefix}:signal:${real.body.id ?? ''}`, 'status')).toBe('queued');
  });

  it('when the web closes during a warm-up, then the warm-up ends, cleans up, and the web closes', async () => {
    const other = await startTestApp('warm-up-close', {}, { web: { warmUpAlerts: WARM_UP_ALERTS } });
    try {
      const running = other.web.warmUp();
      await eventually(async () =>
        (await other.redis.zcard(`${other.prefix}:warm-up:signals`)) > 0 ? true : undefined,
      );
      const closing = other.web.close(1000);
      expect(await running).toMatchObject({ ended: 'closed' });
      await closing;
      expect(await keysOf(other.redis, `${other.prefix}:warm-up*`)).toEqual([]);
      // A closed web warms no more.
      expect(await other.web.warmUp()).toMatchObject({ sent: 0, ended: 'closed' });
    } finally {
      await other.close().catch(() => undefined);
    }
  });

  it('when Redis is down, then a warm-up sends nothing; once it is back, a warm-up runs and cleans up', async () => {
    const own = await startOwnRedis();
    const other = await startTestApp(
      'warm-up-outage',
      { REDIS_URL: own.url },
      { web: { warmUpAlerts: 100 } },
    );
    try {
      await own.stop();
      await eventually(async () => (other.redis.status === 'ready' ? undefined : true));
      expect(await other.web.warmUp()).toMatchObject({ sent: 0, ended: 'unavailable' });
      await own.restart();
      // Skipped until both of the web's connections are back, then run.
      const result = await eventually(async () => {
        const warmed = await other.web.warmUp();
        return warmed?.ended === 'unavailable' ? undefined : warmed;
      }, 10_000);
      expect(result).toMatchObject({ sent: 100, accepted: 100, ended: 'done' });
      expect(await keysOf(other.redis, `${other.prefix}:warm-up*`)).toEqual([]);
    } finally {
      await other.close().catch(() => undefined);
      await own.close();
    }
  });
});
