import { Webhook } from 'standardwebhooks';
import { newEvent } from '../../../src/events/event-log';
import { type Delivery, freshDeliveryId, newDelivery } from '../../../src/notify/delivery';
import { type DeliveryFilter, DeliveryStore } from '../../../src/notify/delivery-store';
import { redisKeys } from '../../../src/redis/keys';
import { RETRY_SCHEDULE_MS } from '../../../src/notify/retry-schedule';
import { type NewSubscription } from '../../../src/notify/subscription-service';
import { notifyHarness } from '../../support/notify/notify-harness';
import { type Receiver, startReceiver } from '../../support/notify/receiver';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';

const prefix = uniquePrefix('notify-delivery');
const h = notifyHarness(prefix);
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  await h.fanOut.round(); // sets the cursor at the (empty) log's head
});
afterEach(async () => {
  // A failed test must not leave its subscriptions to receive the next test's events.
  for (const s of await h.subscriptions.all()) await h.service.remove(s.id, h.clock.now);
  // Events a test left unread (e.g. subscription.disabled) must not reach the next test's subscriptions.
  await h.fanOut.round();
  h.scheduled.length = 0;
  receiver.received.length = 0;
  receiver.answer((_n, _req, res) => res.writeHead(204).end());
});
afterAll(async () => {
  await receiver.close();
  await h.close();
  await dropPrefix(prefix);
});

const filled = (data: Record<string, unknown> = {}) =>
  newEvent(
    'signal.filled',
    {
      id: 'sig_1',
      status: 'filled',
      account: 'main',
      symbol: 'BINANCE:BTCUSDT',
      side: 'buy',
      filled: { amount: 0.01, average: 65010.5, cost: 650.105 },
      slippageBps: 1.6,
      error: null,
      ...data,
    },
    h.clock.now,
  );

async function subscribe(input: Partial<NewSubscription> = {}) {
  // A path per subscription keeps the url unique (same url + overlapping events is a conflict).
  const url = `${receiver.url}/${Math.random().toString(36).slice(2)}`;
  const saved = await h.service.create({ url, events: ['signal.filled'], ...input }, h.clock.now);
  if (saved.outcome !== 'saved') throw new Error(saved.outcome);
  return {
    url,
    subscription: saved.subscription,
    secret: saved.shown?.secret ?? '',
    publicKey: saved.shown?.publicKey,
  };
}

/** Appends an event, fans it out, and returns the scheduled first attempts. */
async function publish(event = filled()) {
  await h.events.append(event);
  await h.fanOut.round();
  return event;
}

describe('fan-out', () => {
  it('when events are logged, then each matching active subscription gets one delivery, once', async () => {
    const all = await subscribe({ events: ['*'] });
    const onlyMain = await subscribe({ events: ['signal.filled'], filter: { accounts: ['main'] } });
    const otherAccount = await subscribe({ events: ['signal.filled'], filter: { accounts: ['alt'] } });
    const otherSymbol = await subscribe({
      events: ['signal.filled'],
      filter: { symbols: ['BYBIT:ETHUSDT.P'] },
    });
    const otherEvent = await subscribe({ events: ['account.paused'] });
    await h.service.change(otherEvent.subscription.id, { active: false }, h.clock.now);
    const start = await h.events.head();
    const event = await publish();
    const targets = h.scheduled.map((s) => s.job);
    const matching = [all, onlyMain].map((s) => s.subscription.id).sort();
    const delivered = await Promise.all(
      targets.map(async (j) => (await h.deliveries.get(j.deliveryId))?.subscriptionId),
    );
    expect(delivered.sort()).toEqual(matching);
    expect(targets.every((j) => j.attempt === 1)).toBe(true);
    expect([otherAccount, otherSymbol].some((s) => delivered.includes(s.subscription.id))).toBe(false);
    // Read again (a crash before the cursor moved): no new delivery.
    await h.redis.set(h.keys.notifyCursor, start);
    const before = (await h.deliveries.list({}, { limit: 200 })).deliveries.length;
    await h.fanOut.round();
    expect((await h.deliveries.list({}, { limit: 200 })).deliveries.length).toBe(before);
    expect(event.type).toBe('signal.filled');
    for (const s of [all, onlyMain, otherAccount, otherSymbol, otherEvent])
      await h.service.remove(s.subscription.id, h.clock.now);
  });
});

describe('attempts', () => {
  it('when the receiver answers 2xx, then the delivery succeeds with Standard Webhooks headers the official package verifies', async () => {
    const { subscription, secret } = await subscribe();
    const event = await publish();
    const { delivery } = await h.runNext();
    expect(delivery).toMatchObject({ status: 'succeeded', subscriptionId: subscription.id });
    const [got] = receiver.received;
    expect(got.headers).toMatchObject({
      'webhook-id': event.id,
      'user-agent': 'tradehook/test',
      'content-type': 'application/json',
    });
    jest.useFakeTimers({
      now: h.clock.now,
      doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval'],
    });
    try {
      const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>);
      expect(verified).toEqual({
        id: event.id,
        type: 'signal.filled',
        timestamp: event.timestamp,
        data: event.data,
      });
    } finally {
      jest.useRealTimers();
    }
    await h.service.remove(subscription.id, h.clock.now);
  });

  it('when the receiver answers 500 then 200, then it is retried after 5 s ± 20 % with the same webhook-id', async () => {
    const { subscription } = await subscribe();
    receiver.answer((n, _req, res) => res.writeHead(n === 0 ? 500 : 200).end(n === 0 ? 'boom' : 'ok'));
    await publish();
    const first = await h.runNext();
    expect(first.delivery).toMatchObject({ status: 'pending', nextAttemptAt: h.clock.now + 5000 });
    expect(first.delivery?.attempts[0]).toMatchObject({
      statusCode: 500,
      response: 'boom',
      error: 'HTTP 500',
    });
    expect(h.scheduled[0]).toEqual({ job: { deliveryId: first.delivery?.id, attempt: 2 }, delayMs: 5000 });
    // The first attempt's job run again (a stalled BullMQ job) sends nothing.
    await h.processor.process({ deliveryId: first.delivery!.id, attempt: 1 });
    expect(receiver.received).toHaveLength(1);
    const second = await h.runNext();
    expect(second.delivery).toMatchObject({ status: 'succeeded' });
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(
      Array(2).fill(first.delivery?.event.id),
    );
    // The same job run twice (a stalled BullMQ job) makes no second request.
    await h.processor.process({ deliveryId: second.delivery!.id, attempt: 2 });
    expect(receiver.received).toHaveLength(2);
    await h.service.remove(subscription.id, h.clock.now);
  });

  it("when every attempt fails, then the schedule is Svix's (jitter within ±20 %) and the delivery ends dead", async () => {
    const { subscription } = await subscribe();
    receiver.answer((_n, _req, res) => res.writeHead(500).end());
    const jitters = [0, 0.999, 0.5, 0.25, 0.75, 0.1, 0.9];
    let i = 0;
    h.processor['options'].random = () => jitters[i++ % jitters.length];
    try {
      await publish();
      const delays: number[] = [];
      let last;
      for (let n = 0; n < RETRY_SCHEDULE_MS.length; n++) {
        last = await h.runNext();
        delays.push(last.delayMs);
      }
      expect(delays[0]).toBe(0);
      delays.slice(1).forEach((d, k) => {
        const base = RETRY_SCHEDULE_MS[k + 1];
        expect(d).toBeGreaterThanOrEqual(base * 0.8);
        expect(d).toBeLessThanOrEqual(base * 1.2);
      });
      expect(delays[1]).toBe(4000);
      expect(last?.delivery).toMatchObject({ status: 'dead', nextAttemptAt: null, scheduled: 8 });
      expect(last?.delivery?.attempts).toHaveLength(8);
      expect(h.scheduled).toHaveLength(0);
      expect(
        (await h.deliveries.list({ status: 'dead' }, { limit: 10 })).deliveries.map((d) => d.id),
      ).toContain(last?.delivery?.id);
    } finally {
      h.processor['options'].random = () => 0.5;
    }
    await h.service.remove(subscription.id, h.clock.now);
  });

  it.each([
    ['120', 120_000],
    ['1', 5_000],
    ['999999', 36_000_000],
  ])(
    'when the receiver answers 429 with Retry-After %s, then the next attempt waits %d ms (clamped)',
    async (after, wait) => {
      const { subscription } = await subscribe();
      receiver.answer((_n, _req, res) => res.writeHead(429, { 'retry-after': after }).end());
      await publish();
      await h.runNext();
      expect(h.scheduled[0].delayMs).toBe(wait);
      await h.service.remove(subscription.id, h.clock.now);
    },
  );

  it('when the receiver answers 410, then the subscription is disabled and subscription.disabled is logged', async () => {
    const { subscription } = await subscribe();
    receiver.answer((_n, _req, res) => res.writeHead(410).end());
    await publish();
    const { delivery } = await h.runNext();
    expect(delivery?.status).toBe('failed');
    expect(h.scheduled).toHaveLength(0);
    expect(await h.subscriptions.get(subscription.id)).toMatchObject({
      active: false,
      disabledReason: 'gone',
    });
    const logged = await h.events.readAfter('0', 1000);
    expect(
      logged.filter((e) => e.type === 'subscription.disabled' && e.data.subscriptionId === subscription.id),
    ).toHaveLength(1);
    await h.fanOut.round(); // the disabling event is itself delivered to whoever wants it (nobody here)
    await h.service.remove(subscription.id, h.clock.now);
  });

  it('when a subscription fails everything for 5 days, then it is disabled with subscription.disabled', async () => {
    const { subscription } = await subscribe();
    receiver.answer((_n, _req, res) => res.writeHead(503).end());
    await publish();
    const first = await h.runNext();
    expect(first.delivery?.status).toBe('pending');
    const start = h.clock.now;
    expect((await h.subscriptions.get(subscription.id))?.failingSince).toBe(start);
    // Tried and failing every 20 h meanwhile (a quiet day would start the count anew).
    for (let k = 1; k * 20 < 120; k++) {
      h.clock.now = start + k * 20 * 3_600_000;
      h.scheduled.length = 0;
      await publish(filled({ id: `sig_f${k}` }));
      expect((await h.runNext()).delivery?.status).toBe('pending');
    }
    h.clock.now = start + 5 * 86_400_000 - 1;
    h.scheduled.length = 0;
    await publish(filled({ id: 'sig_2' }));
    const justBefore = await h.runNext();
    expect(justBefore.delivery?.status).toBe('pending');
    expect((await h.subscriptions.get(subscription.id))?.active).toBe(true);
    h.clock.now += 1;
    h.scheduled.length = 0;
    await publish(filled({ id: 'sig_3' }));
    const after = await h.runNext();
    expect(after.delivery?.status).toBe('failed');
    expect(await h.subscriptions.get(subscription.id)).toMatchObject({
      active: false,
      disabledReason: 'failing',
    });
    const disabled = (await h.events.readAfter('0', 1000)).filter(
      (e) => e.type === 'subscription.disabled' && e.data.subscriptionId === subscription.id,
    );
    expect(disabled).toHaveLength(1);
    expect(disabled[0].data).toMatchObject({ reason: 'failing' });
    await h.service.remove(subscription.id, h.clock.now);
  });

  it('when a dead letter is retried while its subscription is disabled, then nothing is sent, it says why and stays dead', async () => {
    const { subscription } = await subscribe();
    receiver.answer((_n, _req, res) => res.writeHead(500).end());
    await publish();
    let last;
    for (let n = 0; n < RETRY_SCHEDULE_MS.length; n++) last = await h.runNext();
    const dead = last!.delivery!;
    expect(dead.status).toBe('dead');
    await h.processor.disable(subscription.id, 'failing');
    const sent = receiver.received.length;
    const retried = await h.processor.process({ deliveryId: dead.id, attempt: dead.scheduled, manual: true });
    expect(receiver.received).toHaveLength(sent);
    expect(retried).toMatchObject({ status: 'dead' });
    expect(retried!.attempts.at(-1)).toMatchObject({
      statusCode: null,
      trigger: 'manual',
      error: 'not sent: the subscription is disabled or deleted',
    });
    // Enabled again, the same retry delivers it.
    await h.service.change(subscription.id, { active: true }, h.clock.now);
    receiver.answer((_n, _req, res) => res.writeHead(204).end());
    const delivered = await h.processor.process({
      deliveryId: dead.id,
      attempt: dead.scheduled,
      manual: true,
    });
    expect(delivered).toMatchObject({ status: 'succeeded' });
    await h.service.remove(subscription.id, h.clock.now);
  });

  it('when a failure comes after a quiet day, then the 5-day failure clock starts again', async () => {
    const { subscription } = await subscribe();
    receiver.answer((_n, _req, res) => res.writeHead(503).end());
    await publish();
    await h.runNext();
    const start = h.clock.now;
    // Not tried for 6 days (no events), then one failure: the receiver was not failing all that time.
    h.clock.now = start + 6 * 86_400_000;
    h.scheduled.length = 0;
    await publish(filled({ id: 'sig_after_quiet' }));
    expect((await h.runNext()).delivery?.status).toBe('pending');
    expect(await h.subscriptions.get(subscription.id)).toMatchObject({
      active: true,
      failingSince: h.clock.now,
    });
    await h.service.remove(subscription.id, h.clock.now);
  });

  it('when a success comes in between, then the 5-day failure clock starts again', async () => {
    const { subscription } = await subscribe();
    receiver.answer((n, _req, res) => res.writeHead(n === 1 ? 200 : 500).end());
    await publish();
    await h.runNext();
    h.clock.now += 4 * 86_400_000;
    await h.runNext(); // succeeds
    expect((await h.subscriptions.get(subscription.id))?.failingSince).toBeNull();
    await h.service.remove(subscription.id, h.clock.now);
  });
});

describe('formats', () => {
  it("when the format is discord, slack or telegram, then the body is the chat app's message with the trade in words", async () => {
    const discord = await subscribe({ format: 'discord' });
    const slack = await subscribe({ format: 'slack', events: ['*'] });
    const telegram = await subscribe({
      format: 'telegram',
      telegram: { botToken: '123456:telegram-bot-token-secret', chatId: '-100777' },
    });
    await publish();
    while (h.scheduled.length > 0) await h.runNext();
    const byPath = (part: string) => receiver.received.find((r) => r.path.includes(part));
    const discordBody = JSON.parse(byPath(new URL(discord.url).pathname)!.body) as Record<string, unknown>;
    const slackBody = JSON.parse(byPath(new URL(slack.url).pathname)!.body) as Record<string, unknown>;
    const tg = byPath('/sendMessage')!;
    const telegramBody = JSON.parse(tg.body) as Record<string, unknown>;
    expect(tg.path).toBe(
      `${new URL(telegram.subscription.url).pathname}/bot123456:telegram-bot-token-secret/sendMessage`,
    );
    expect(Object.keys(discordBody).sort()).toEqual(['allowed_mentions', 'content', 'username']);
    expect(Object.keys(slackBody)).toEqual(['text']);
    expect(telegramBody).toMatchObject({ chat_id: '-100777' });
    for (const text of [discordBody.content, slackBody.text, telegramBody.text] as string[]) {
      expect(text).toContain('signal.filled');
      expect(text).toContain('BINANCE:BTCUSDT buy 0.01 @ 65010.5');
      expect(text).toContain('slippage: 1.6 bps');
      expect(text).toContain('status: filled');
    }
    // The bot token is in no stored record and no log line.
    const records =
      JSON.stringify(await h.deliveries.list({}, { limit: 200 })) +
      JSON.stringify(await h.subscriptions.all());
    expect(records).not.toContain('telegram-bot-token-secret');
    expect(h.logs.text()).not.toContain('telegram-bot-token-secret');
    expect(await h.redis.hget(h.keys.subscriptionSecrets, telegram.subscription.id)).not.toContain(
      'telegram-bot-token-secret',
    );
    for (const s of [discord, slack, telegram]) await h.service.remove(s.subscription.id, h.clock.now);
  });

  it('when a receiver echoes a secret (Telegram answers the chat id), then the stored answer has it blanked', async () => {
    const telegram = await subscribe({
      format: 'telegram',
      telegram: { botToken: '123456:telegram-echoed-token-secret', chatId: '-100888999' },
      headers: { authorization: 'Bearer echoed-header-credential' },
    });
    receiver.answer((_n, req, res) => {
      const sent = JSON.parse(receiver.received.at(-1)!.body) as { chat_id: string };
      // What Telegram's sendMessage answers (the chat), plus what a careless receiver might echo.
      res.writeHead(400).end(
        JSON.stringify({
          ok: false,
          result: { chat: { id: Number(sent.chat_id) } },
          echo: [req.url, req.headers.authorization],
        }),
      );
    });
    await publish();
    const { delivery } = await h.runNext();
    const stored = JSON.stringify(await h.deliveries.get(delivery!.id));
    expect(delivery!.attempts[0].response).toContain('"chat":{"id":[secret]}');
    for (const secret of ['-100888999', 'telegram-echoed-token-secret', 'echoed-header-credential'])
      expect(stored).not.toContain(secret);
    await h.service.remove(telegram.subscription.id, h.clock.now);
  });

  it('when a rejected signal is told in words, then the reason shows', async () => {
    const slack = await subscribe({ format: 'slack', events: ['signal.rejected'] });
    await publish(
      newEvent(
        'signal.rejected',
        {
          id: 'sig_9',
          status: 'rejected',
          account: 'main',
          symbol: 'BINANCE:BTCUSDT',
          side: 'sell',
          error: { code: 'paused', message: 'account main is paused' },
        },
        h.clock.now,
      ),
    );
    await h.runNext();
    expect((JSON.parse(receiver.received[0].body) as { text: string }).text).toContain(
      'reason: account main is paused',
    );
    await h.service.remove(slack.subscription.id, h.clock.now);
  });
});

describe('history', () => {
  it('when deliveries are listed page by page with filters, then each comes once, newest first, matching them', async () => {
    const subscriptionId = `sub_${Math.random().toString(16).slice(2, 18).padEnd(16, '0')}`;
    const start = h.clock.now;
    const made: Delivery[] = [];
    for (let i = 0; i < 7; i++) {
      const event = newEvent(i % 2 === 0 ? 'signal.filled' : 'signal.failed', { id: `sig_h${i}` }, start + i);
      const delivery = newDelivery({ id: freshDeliveryId(), subscriptionId, event, now: start + i * 1000 });
      if (i === 3) delivery.status = 'dead';
      await h.deliveries.create(delivery);
      made.push(delivery);
    }
    const pages = async (filter: DeliveryFilter) => {
      const ids: string[][] = [];
      let after: string | undefined;
      do {
        const page = await h.deliveries.list({ subscriptionId, ...filter }, { limit: 2, after });
        ids.push(page.deliveries.map((d) => d.id));
        after = page.next ?? undefined;
      } while (after !== undefined && ids.length < 10); // a cursor that does not advance fails, not hangs
      return ids.flat();
    };
    const newestFirst = [...made].reverse();
    expect(await pages({})).toEqual(newestFirst.map((d) => d.id));
    expect(await pages({ event: 'signal.failed' })).toEqual(
      newestFirst.filter((d) => d.event.type === 'signal.failed').map((d) => d.id),
    );
    expect(await pages({ since: start + 4000 })).toEqual(newestFirst.slice(0, 3).map((d) => d.id));
    expect(await pages({ status: 'dead' })).toEqual([made[3].id]);
  });
});

describe('retention', () => {
  it('when deliveries are older than DELIVERY_RETENTION_HOURS, then each fan-out round removes a batch of them', async () => {
    const { subscription } = await subscribe();
    const old = h.clock.now;
    for (let i = 0; i < 3; i++) await publish(filled({ id: `sig_old_${i}` }));
    const oldIds = h.scheduled.map((s) => s.job.deliveryId);
    h.scheduled.length = 0;
    h.clock.now = old + 72 * 3_600_000 - 1;
    await publish(filled({ id: 'sig_young' }));
    const young = h.scheduled[0].job.deliveryId;
    expect(await Promise.all(oldIds.map((id) => h.deliveries.get(id)))).not.toContain(undefined);
    h.clock.now = old + 72 * 3_600_000 + 1;
    await h.fanOut.round();
    expect(await Promise.all(oldIds.map((id) => h.deliveries.get(id)))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(await h.deliveries.get(young)).toBeDefined();
    expect(await h.deliveries.removeBefore(h.clock.now - 72 * 3_600_000)).toBe(0);
    await h.service.remove(subscription.id, h.clock.now);
  });

  it('when retention found only deliveries still retried, then it scans them again 10 s later, not every round', async () => {
    const own = uniquePrefix('notify-retention');
    const store = new DeliveryStore(h.redis, redisKeys(own));
    try {
      const t = h.clock.now;
      const event = newEvent('signal.filled', { id: 'sig_kept' }, t);
      const delivery = newDelivery({
        id: freshDeliveryId(),
        subscriptionId: 'sub_0000000000000000',
        event,
        now: t,
      });
      await store.create({ ...delivery, nextAttemptAt: t + 36_000_000 });
      expect(await store.removeBefore(t + 3_600_000)).toBe(0); // kept: its next attempt is to come
      await store.save({ ...delivery, status: 'succeeded', nextAttemptAt: null });
      expect(await store.removeBefore(t + 3_600_000 + 9_999)).toBe(0); // not scanned again yet
      expect(await store.removeBefore(t + 3_600_000 + 10_000)).toBe(1);
    } finally {
      await dropPrefix(own);
    }
  });

  it('when a delivery older than the retention is still being retried, then it is kept until it ends', async () => {
    const { subscription } = await subscribe();
    receiver.answer((_n, _req, res) => res.writeHead(429, { 'retry-after': '36000' }).end());
    const created = h.clock.now;
    await publish(filled({ id: 'sig_slow_receiver' }));
    const { delivery } = await h.runNext(); // 429: the next attempt in 10 h
    expect(delivery).toMatchObject({ status: 'pending', nextAttemptAt: created + 36_000_000 });
    // A retention shorter than the wait (DELIVERY_RETENTION_HOURS=1): the delivery must outlive it.
    h.clock.now = created + 2 * 3_600_000;
    await h.deliveries.removeBefore(h.clock.now - 3_600_000);
    expect(await h.deliveries.get(delivery!.id)).toMatchObject({ status: 'pending' });
    receiver.answer((_n, _req, res) => res.writeHead(204).end());
    expect((await h.runNext()).delivery).toMatchObject({ status: 'succeeded' });
    await h.deliveries.removeBefore(h.clock.now - 3_600_000);
    expect(await h.deliveries.get(delivery!.id)).toBeUndefined();
    await h.service.remove(subscription.id, h.clock.now);
  });
});
