import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { EventLog, newEvent } from '../../../src/events/event-log';
import { type TradehookEvent } from '../../../src/events/event-types';
import { redisKeys } from '../../../src/redis/keys';
import { dumpPrefix, issueKey } from '../../support/api-keys';
import { TEST_SECRETS_KEY } from '../../support/notify/notify-harness';
import { type Receiver, startReceiver } from '../../support/notify/receiver';
import { type TestApp, eventually, startTestApp, timenow } from '../../support/test-app';

const API = '/api/v1';
let app: TestApp;
let receiver: Receiver;
let trader: string;
let events: EventLog;
const shown: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestApp(
    'notify-api',
    {
      ALLOW_INSECURE_WEBHOOK_URLS: 'true',
      SUBSCRIPTION_SECRETS_KEY: TEST_SECRETS_KEY,
      PAPER_BALANCES: 'USDT:100000',
      NOTIFY_CONCURRENCY: '4',
    },
    // A short schedule (3 attempts, 50 ms apart): the real one is tested with a fake clock (delivery.test.ts).
    { worker: true, tuning: { notify: { schedule: [0, 50, 50], pollMs: 20, timeoutMs: 2000 } } },
  );
  trader = (await issueKey(app.redis, app.prefix, 'trader')).key;
  events = new EventLog({ redis: app.redis, key: redisKeys(app.prefix).events });
});
afterEach(() => {
  receiver.answer((_n, _req, res) => res.writeHead(204).end());
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

const api = () => ({
  get: (path: string) =>
    request(app.url)
      .get(API + path)
      .set('authorization', `Bearer ${trader}`),
  post: (path: string, body?: object) =>
    request(app.url)
      .post(API + path)
      .set('authorization', `Bearer ${trader}`)
      .send(body),
  patch: (path: string, body: object) =>
    request(app.url)
      .patch(API + path)
      .set('authorization', `Bearer ${trader}`)
      .send(body),
  delete: (path: string) =>
    request(app.url)
      .delete(API + path)
      .set('authorization', `Bearer ${trader}`),
});

let paths = 0;
async function subscribe(body: Record<string, unknown> = {}) {
  const res = await api().post('/subscriptions', {
    url: `${receiver.url}/${++paths}`,
    events: ['signal.filled'],
    ...body,
  });
  expect(res.status).toBe(201);
  if (res.body.secret) shown.push(res.body.secret as string);
  return res.body as { id: string; url: string; secret?: string; publicKey?: string };
}

const pathOf = (url: string) => new URL(url).pathname;
const receivedAt = (url: string) => receiver.received.filter((r) => r.path === pathOf(url));

function verify(secret: string, got: { body: string; headers: Record<string, unknown> }) {
  jest.useFakeTimers({
    now: Date.now(),
    doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
  });
  try {
    return new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as TradehookEvent;
  } finally {
    jest.useRealTimers();
  }
}

const filled = (data: Record<string, unknown> = {}) =>
  newEvent('signal.filled', {
    id: `sig_${Math.random().toString(16).slice(2)}`,
    status: 'filled',
    account: 'default',
    symbol: 'BINANCE:BTCUSDT',
    ...data,
  });

describe('subscriptions API', () => {
  it('when a subscription is created, then the secret is answered once and masked afterwards', async () => {
    const created = await subscribe({
      description: 'fills',
      headers: { authorization: 'Bearer receiver-credential-123' },
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const got = await api().get(`/subscriptions/${created.id}`).expect(200);
    expect(got.body).toMatchObject({
      id: created.id,
      secret: `whsec_…${created.secret!.slice(-4)}`,
      headerNames: ['authorization'],
      active: true,
    });
    expect(JSON.stringify(got.body)).not.toContain('receiver-credential-123');
    const list = await api().get('/subscriptions?event=signal.filled').expect(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(created.id);
    const none = await api().get('/subscriptions?event=account.paused').expect(200);
    expect(none.body.items.map((s: { id: string }) => s.id)).not.toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
  });

  it('when the same url is subscribed with overlapping events, then 409; with other events, it is accepted', async () => {
    const first = await subscribe({ events: ['signal.filled', 'signal.failed'] });
    const clash = await api().post('/subscriptions', { url: first.url, events: ['*'] });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ error: 'conflict' });
    await api()
      .post('/subscriptions', { url: first.url, events: ['account.paused'] })
      .expect(201);
  });

  it.each([
    [{ url: 'https://10.0.0.1/x', events: ['*'] }, 'body.url'],
    [{ url: 'ftp://hooks.example.com/x', events: ['*'] }, 'body.url'],
    [{ url: 'https://hooks.example.com/x', events: [] }, 'body.events'],
    [{ url: 'https://hooks.example.com/x', events: ['signal.exploded'] }, 'body.events.0'],
    [{ url: 'https://hooks.example.com/x', events: ['*'], secret: 'whsec_c2hvcnQ=' }, 'body.secret'],
    [
      {
        url: 'https://hooks.example.com/x',
        events: ['*'],
        secret: 'whsec_' + 'A'.repeat(40),
        signing: 'ed25519',
      },
      'body.secret',
    ],
    [
      { url: 'https://hooks.example.com/x', events: ['*'], headers: { 'webhook-signature': 'v1,x' } },
      'body.headers',
    ],
    [{ events: ['*'], format: 'telegram' }, 'body.telegram'],
    [{ url: 'https://hooks.example.com/x', events: ['*'], colour: 'red' }, 'body.colour'],
  ])('when the body is %j, then 400 names %s', async (body, path) => {
    const res = await api().post('/subscriptions', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('when a viewer calls, then it reads subscriptions and deliveries but changes nothing (403)', async () => {
    const viewer = (await issueKey(app.redis, app.prefix, 'viewer')).key;
    const sub = await subscribe();
    const as = (req: request.Test) => req.set('authorization', `Bearer ${viewer}`);
    await as(request(app.url).get(`${API}/subscriptions`)).expect(200);
    await as(request(app.url).get(`${API}/subscriptions/${sub.id}`)).expect(200);
    await as(request(app.url).get(`${API}/deliveries`)).expect(200);
    const writes = [
      request(app.url)
        .post(`${API}/subscriptions`)
        .send({ url: `${receiver.url}/viewer`, events: ['*'] }),
      request(app.url).patch(`${API}/subscriptions/${sub.id}`).send({ active: false }),
      request(app.url).delete(`${API}/subscriptions/${sub.id}`),
      request(app.url).post(`${API}/subscriptions/${sub.id}/test`),
      request(app.url).post(
        `${API}/subscriptions/${sub.id}/replay?since=${encodeURIComponent(timenow(-60))}`,
      ),
      request(app.url).post(`${API}/deliveries/dlv_000000000000000000000000/retry`),
    ];
    for (const write of writes) expect((await as(write)).status).toBe(403);
    expect(receivedAt(sub.url)).toHaveLength(0);
  });

  it('when an unknown or deleted subscription is asked for, then 404', async () => {
    await api().get('/subscriptions/sub_0000000000000000').expect(404);
    await api().get('/subscriptions/nonsense').expect(404);
    const created = await subscribe();
    await api().delete(`/subscriptions/${created.id}`).expect(204);
    await api().get(`/subscriptions/${created.id}`).expect(404);
    await api().delete(`/subscriptions/${created.id}`).expect(404);
  });
});

describe('deliveries', () => {
  it('when an event is logged, then the receiver gets it signed, and the history shows the attempt', async () => {
    const sub = await subscribe({ headers: { 'x-receiver-key': 'receiver-credential-456' } });
    const event = filled();
    await events.append(event);
    const got = await eventually(async () => receivedAt(sub.url)[0]);
    expect(got.headers['x-receiver-key']).toBe('receiver-credential-456');
    expect(got.headers['user-agent']).toMatch(/^tradehook\/\d+\.\d+\.\d+/);
    expect(verify(sub.secret!, got)).toEqual(event);
    const list = await eventually(async () => {
      const res = await api().get(`/deliveries?subscriptionId=${sub.id}&status=succeeded`);
      return res.body.items.length === 1 ? res.body : undefined;
    });
    expect(list.items[0]).toMatchObject({
      eventId: event.id,
      event: 'signal.filled',
      attemptCount: 1,
      lastAttempt: { statusCode: 204 },
    });
    const detail = await api().get(`/deliveries/${list.items[0].id}`).expect(200);
    expect(detail.body.attempts).toEqual([
      expect.objectContaining({ statusCode: 204, error: null, trigger: 'schedule' }),
    ]);
    expect(detail.body.payload).toEqual(event);
  });

  it('when the receiver answers 500 then 200, then the queue retries and the same webhook-id arrives twice', async () => {
    const sub = await subscribe();
    receiver.answer((_n, req, res) => {
      const mine = receiver.received.filter((r) => r.path === pathOf(sub.url)).length;
      res.writeHead(req.url === pathOf(sub.url) && mine === 1 ? 500 : 200).end();
    });
    await events.append(filled());
    const both = await eventually(async () =>
      receivedAt(sub.url).length >= 2 ? receivedAt(sub.url) : undefined,
    );
    expect(both[0].headers['webhook-id']).toBe(both[1].headers['webhook-id']);
    const delivered = await eventually(async () => {
      const res = await api().get(`/deliveries?subscriptionId=${sub.id}`);
      return res.body.items[0]?.status === 'succeeded' ? res.body.items[0] : undefined;
    });
    expect(delivered.attemptCount).toBe(2);
  });

  it('when every attempt fails, then the delivery is dead; a manual retry then delivers it', async () => {
    const sub = await subscribe();
    receiver.answer((_n, req, res) => res.writeHead(req.url === pathOf(sub.url) ? 500 : 204).end());
    await events.append(filled());
    const dead = await eventually(async () => {
      const res = await api().get(`/deliveries?subscriptionId=${sub.id}&status=dead`);
      return res.body.items[0] as { id: string; attemptCount: number } | undefined;
    });
    expect(dead.attemptCount).toBe(3);
    receiver.answer((_n, _req, res) => res.writeHead(200).end());
    await api().post(`/deliveries/${dead.id}/retry`).expect(202);
    const retried = await eventually(async () => {
      const res = await api().get(`/deliveries/${dead.id}`);
      return res.body.attempts.length === 4 ? res.body : undefined;
    });
    expect(retried.attempts[3]).toMatchObject({ statusCode: 200, trigger: 'manual' });
    await api().post('/deliveries/dlv_000000000000000000000000/retry').expect(404);
  });

  it('when a test ping is sent, then the answer is the attempt; a refused address is an attempt too', async () => {
    const sub = await subscribe();
    const res = await api().post(`/subscriptions/${sub.id}/test`).expect(200);
    expect(res.body).toMatchObject({
      event: 'ping',
      status: 'succeeded',
      attempts: [expect.objectContaining({ statusCode: 204, trigger: 'test' })],
    });
    expect(verify(sub.secret!, receivedAt(sub.url)[0]).type).toBe('ping');
  });

  it('when the secret is rotated, then both secrets sign for the window and the new one is shown once', async () => {
    const sub = await subscribe();
    const rotated = await api().patch(`/subscriptions/${sub.id}`, { rotateSecret: true }).expect(200);
    const fresh = rotated.body.secret as string;
    shown.push(fresh);
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(sub.secret);
    await api().post(`/subscriptions/${sub.id}/test`).expect(200);
    const got = receivedAt(sub.url)[0];
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(sub.secret!, got).type).toBe('ping');
    expect(verify(fresh, got).type).toBe('ping');
    expect((await api().get(`/subscriptions/${sub.id}`)).body.secret).toBe(`whsec_…${fresh.slice(-4)}`);
  });

  it('when ed25519 signing is asked for, then the answer is the public key and v1a verifies with it', async () => {
    const sub = await subscribe({ signing: 'ed25519' });
    expect(sub.secret).toBeUndefined();
    expect(sub.publicKey).toMatch(/^whpk_/);
    await api().post(`/subscriptions/${sub.id}/test`).expect(200);
    const { verifyNotification } = await import('../../../src');
    const got = receivedAt(sub.url)[0];
    expect(String(got.headers['webhook-signature'])).toMatch(/^v1a,/);
    expect(
      verifyNotification({
        body: got.body,
        headers: got.headers as Record<string, string>,
        secret: sub.publicKey!,
      }).type,
    ).toBe('ping');
  });

  it('when events are replayed since a time, then the wanted ones are sent again with their own webhook-ids', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const sub = await subscribe({ events: ['account.paused'] });
    const paused = newEvent('account.paused', { account: 'default' });
    await events.append(paused);
    await eventually(async () => receivedAt(sub.url)[0]);
    const res = await api()
      .post(`/subscriptions/${sub.id}/replay?since=${encodeURIComponent(since)}`)
      .expect(202);
    expect(res.body.queued).toBeGreaterThanOrEqual(1);
    const again = await eventually(async () =>
      receivedAt(sub.url).length >= 2 ? receivedAt(sub.url) : undefined,
    );
    expect(again.map((r) => r.headers['webhook-id'])).toEqual([paused.id, paused.id]);
  });

  it('when the receiver answers 410, then the subscription is disabled with its reason', async () => {
    const sub = await subscribe();
    receiver.answer((_n, req, res) => res.writeHead(req.url === pathOf(sub.url) ? 410 : 204).end());
    await events.append(filled());
    const disabled = await eventually(async () => {
      const res = await api().get(`/subscriptions/${sub.id}`);
      return res.body.active === false ? res.body : undefined;
    });
    expect(disabled.disabledReason).toBe('gone');
    await api()
      .post(`/subscriptions/${sub.id}/replay?since=${encodeURIComponent(timenow(-60))}`)
      .expect(409);
    await api().patch(`/subscriptions/${sub.id}`, { active: true }).expect(200);
  });
});

describe('isolation from trading', () => {
  it('when a paper signal fills, then a signal.filled subscriber receives the signal as its data', async () => {
    const sub = await subscribe({ events: ['signal.filled'], filter: { accounts: ['default'] } });
    const res = await request(app.url).post('/webhook').set('content-type', 'application/json').send({
      token: 'test-token-1',
      timestamp: timenow(),
      symbol: 'BINANCE:ETHUSDT',
      action: 'buy',
      quantity: '0.01',
      price: '3000',
    });
    expect(res.status).toBe(202);
    const got = await eventually(async () =>
      receivedAt(sub.url).find((r) => (JSON.parse(r.body) as TradehookEvent).data.id === res.body.id),
    );
    const event = verify(sub.secret!, got);
    expect(event.type).toBe('signal.filled');
    expect(event.data).toMatchObject({
      id: res.body.id,
      status: 'filled',
      account: 'default',
      symbol: 'BINANCE:ETHUSDT',
    });
  });

  it('when receivers hang, then a paper signal still fills while their attempts are in flight', async () => {
    const hanging = await subscribe({ events: ['account.resumed'] });
    const watcher = await subscribe({ events: ['signal.filled'] });
    let inFlight = 0;
    receiver.answer((_n, req, res) => {
      if (req.url !== pathOf(hanging.url)) return void res.writeHead(204).end();
      inFlight++; // never answered: each attempt waits for its timeout
    });
    for (let i = 0; i < 8; i++) await events.append(newEvent('account.resumed', { account: 'default' }));
    await eventually(async () => (inFlight >= 4 ? true : undefined));
    const res = await request(app.url).post('/webhook').set('content-type', 'application/json').send({
      token: 'test-token-1',
      timestamp: timenow(),
      symbol: 'BINANCE:BTCUSDT',
      action: 'buy',
      quantity: '0.001',
      price: '50000',
    });
    expect(res.status).toBe(202);
    const status = await eventually(async () => {
      const s = await app.redis.hget(`${app.prefix}:signal:${res.body.id}`, 'status');
      return s && !['queued', 'processing'].includes(s) ? s : undefined;
    });
    expect(status).toBe('filled');
    // The receiver was still holding every attempt when the order filled: none had finished. (The fan-out
    // may not have made the last of the eight deliveries yet: at least the four in flight are there.)
    const pending = await api().get(`/deliveries?subscriptionId=${hanging.id}&limit=20`).expect(200);
    expect(pending.body.items.length).toBeGreaterThanOrEqual(4);
    expect(pending.body.items.every((d: { attemptCount: number }) => d.attemptCount === 0)).toBe(true);
    await eventually(async () => {
      const all = await api().get(`/deliveries?subscriptionId=${hanging.id}&limit=20`).expect(200);
      return all.body.items.length === 8 ? true : undefined;
    });
    // The fill's own notification got through beside the hanging ones.
    await eventually(async () => {
      const res = await api().get(`/deliveries?subscriptionId=${watcher.id}&status=succeeded`);
      return res.body.items.length > 0 ? true : undefined;
    });
    // Readiness does not depend on receivers.
    expect((await request(app.url).get('/ready')).status).toBe(200);
    // Metrics: the notifications queue's depth, and the worker's attempt counters.
    await app.worker!.pushMetrics();
    const metrics = await request(app.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/tradehook_queue_jobs\{queue="notifications",state="(active|wait)"\} [1-9]/);
    expect(metrics.text).toMatch(/tradehook_notification_attempts_total\{outcome="succeeded"\} [1-9]/);
    expect(metrics.text).toContain('tradehook_notification_attempt_seconds_bucket');
  });
});

describe('secrets', () => {
  it('when everything is done, then no secret is in a log line, an API answer or Redis outside the encrypted secret store', async () => {
    const tg = await subscribe({
      format: 'telegram',
      telegram: { botToken: '424242:telegram-token-abcdefghijklmnop', chatId: '-100123' },
    });
    await api().post(`/subscriptions/${tg.id}/test`).expect(200);
    const secrets = [
      ...shown,
      'receiver-credential-123',
      'receiver-credential-456',
      'telegram-token-abcdefghijklmnop',
    ];
    const dump = await dumpPrefix(app.redis, app.prefix);
    const store = await app.redis.hgetall(redisKeys(app.prefix).subscriptionSecrets);
    const outsideStore = dump
      .split('\n')
      .filter((line) => !line.startsWith(`${redisKeys(app.prefix).subscriptionSecrets} `))
      .join('\n');
    const answers =
      JSON.stringify((await api().get('/subscriptions?limit=200')).body) +
      JSON.stringify((await api().get('/deliveries?limit=200')).body);
    for (const secret of secrets) {
      expect(app.logs.text()).not.toContain(secret);
      expect(outsideStore).not.toContain(secret);
      expect(JSON.stringify(store)).not.toContain(secret);
      expect(answers).not.toContain(secret);
    }
    expect(Object.values(store).every((v) => v.startsWith('gcm:'))).toBe(true);
  });
});
