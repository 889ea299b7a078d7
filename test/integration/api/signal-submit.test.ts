import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type AccountConfig } from '../../../src/config/accounts';
import { issueKey } from '../../support/api-keys';
import { FakeBinance, makeCcxtAccount } from '../../support/fake-exchange';
import { countSignalJobs, timenow } from '../../support/test-app';
import { type Engine, TOKEN, createOrdersFor, settle, startEngine } from '../engine/behaviour/engine-harness';

/**
 * `POST /api/v1/signals` and its dry run, end to end: the real web and worker, ccxt's real `binance` (spot)
 * and `binanceusdm` (perpetual) classes against the fake Binance, and the offline paper exchange.
 */
describe('POST /api/v1/signals', () => {
  const spot = new FakeBinance('binance');
  const perp = new FakeBinance('binanceusdm');
  let engine: Engine;
  let trader: string;
  let viewer: string;

  const accounts = (): AccountConfig[] => [
    { id: 'pp', exchange: 'paper', sandbox: false, paper: false, ccxt: {}, symbols: [] },
    makeCcxtAccount(spot, { id: 'bn', defaultType: 'spot' }),
    makeCcxtAccount(perp, { id: 'perp', defaultType: 'swap' }),
  ];
  const submit = (body: Record<string, unknown>, options: { key?: string; dryRun?: boolean } = {}) =>
    request(engine.app.url)
      .post(`/api/v1/signals${options.dryRun ? '?dryRun=true' : ''}`)
      .set('authorization', `Bearer ${options.key ?? trader}`)
      .send(body);
  const record = (id: string) => engine.app.redis.hgetall(`${engine.app.prefix}:signal:${id}`);
  const auditActions = async (requestId: string) =>
    (await engine.app.redis.xrange(`${engine.app.prefix}:audit`, '-', '+'))
      .filter(([, f]) => f.includes(requestId))
      .map(([, f]) => f[f.indexOf('action') + 1]);
  const orderCalls = () => spot.requestsFor('createOrder').length + perp.requestsFor('createOrder').length;
  const sendsOf = (id: string) => [...createOrdersFor(spot, id), ...createOrdersFor(perp, id)];
  const binanceBuy = (extra: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    account: 'bn',
    symbol: 'BINANCE:BTCUSDT',
    action: 'buy',
    quantity: '0.0123456',
    ...extra,
  });
  /** A buy of 0.001 BTC at 60,000 on the offline paper account. */
  const paperBuy = () => ({
    id: randomUUID(),
    account: 'pp',
    symbol: 'BTC/USDT',
    action: 'buy',
    quantity: '0.001',
    price: '60000',
  });

  beforeAll(async () => {
    engine = await startEngine('signal-submit', [spot, perp], accounts);
    trader = (await issueKey(engine.app.redis, engine.app.prefix, 'trader', { name: 'script' })).key;
    viewer = (await issueKey(engine.app.redis, engine.app.prefix, 'viewer')).key;
  });
  afterAll(() => engine.close());
  beforeEach(async () => {
    for (const fake of [spot, perp]) {
      fake.state.prices = { BTCUSDT: 60000, ETHUSDT: 3000, BTCUSD_PERP: 60000 };
      fake.state.positions = {};
    }
    spot.state.spotBalances.USDT = { free: 10000, locked: 0 };
    perp.state.usdmWalletBalance = 10000;
    await submitResume();
  });
  const submitResume = () =>
    request(engine.app.url).post('/api/v1/accounts/bn/resume').set('authorization', `Bearer ${trader}`);

  it('when a viewer submits, then 403 and nothing is queued', async () => {
    const before = await countSignalJobs(engine.app.redis, engine.app.prefix);
    const res = await submit(binanceBuy(), { key: viewer }).expect(403);
    expect(res.body.error).toBe('forbidden');
    expect(await countSignalJobs(engine.app.redis, engine.app.prefix)).toBe(before);
  });

  it('when a trader submits an alert, then it is queued (202), recorded with auth api, audited, announced, and trades', async () => {
    const res = await submit(paperBuy()).expect(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^sig_[0-9a-f]{24}$/), status: 'queued' });
    const final = await engine.final(res.body.id, 15_000);
    expect(final.status).toBe('filled');
    expect(final.raw.auth).toBe('api');
    expect(await auditActions(res.headers['x-request-id'])).toEqual(['signal.submit']);
    const events = await engine.app.redis.xrange(`${engine.app.prefix}:events`, '-', '+');
    const queued = events.map(([, f]) => JSON.parse(f[1])).filter((e) => e.type === 'signal.queued');
    expect(queued.map((e) => e.data.id)).toContain(res.body.id);
  });

  it('when the same id is sent again, then the answer is the webhook’s duplicate and no second job exists, even after the nonce window', async () => {
    const alert = paperBuy();
    const first = await submit(alert).expect(202);
    const again = await submit(alert).expect(200);
    expect(again.body).toEqual({ id: first.body.id, status: 'duplicate' });
    // The webhook (token mode) with the same id is the same signal too.
    const hook = await request(engine.app.url)
      .post('/webhook')
      .send({ ...alert, token: TOKEN, timestamp: timenow() })
      .expect(200);
    expect(hook.body).toEqual({ id: first.body.id, status: 'duplicate' });
    await engine.final(first.body.id, 15_000);
    // Past the nonce's time-to-live: the record still makes it a duplicate, and it is left as it was.
    await engine.app.redis.del(`${engine.app.prefix}:nonce:${first.body.id}`);
    const late = await submit(alert).expect(200);
    expect(late.body).toEqual({ id: first.body.id, status: 'duplicate' });
    expect((await record(first.body.id)).status).toBe('filled');
    const jobs = await engine.app.redis.keys(`${engine.app.prefix}:signals-*:${first.body.id}`);
    expect(jobs).toHaveLength(1);
  });

  it('when the alert is invalid, then 400 with exactly the webhook’s answer, and a corrected resend is queued', async () => {
    const alert = { id: randomUUID(), account: 'nope', symbol: 'BTCUSDT', action: 'buy', qty: 1 };
    const api = await submit(alert).expect(400);
    const hook = await request(engine.app.url)
      .post('/webhook')
      .send({ ...alert, token: TOKEN, timestamp: timenow() })
      .expect(400);
    expect(api.body).toEqual(hook.body);
    expect(api.body.error).toBe('invalid_signal');
    expect(api.body.issues).toEqual([{ path: 'qty', message: expect.stringContaining('unknown field') }]);
    await submit({ ...alert, account: 'pp', qty: undefined, quantity: '0.001', price: '60000' }).expect(202);
  });

  it('when the account is paused, then the signal is queued and ends rejected with paused, and its dry run says so with the plan', async () => {
    await request(engine.app.url)
      .post('/api/v1/accounts/bn/pause')
      .set('authorization', `Bearer ${trader}`)
      .expect(200);
    const res = await submit(binanceBuy()).expect(202);
    const final = await engine.final(res.body.id, 15_000);
    expect(final.status).toBe('rejected');
    expect(final.error?.code).toBe('paused');
    const calls = orderCalls();
    const dry = await submit(binanceBuy(), { dryRun: true }).expect(200);
    expect(dry.body.outcome).toBe('refused');
    expect(dry.body.refusal).toMatchObject({ code: 'paused', source: 'kill_switch' });
    expect(dry.body.intents).toHaveLength(1);
    expect(sendsOf(dry.body.id)).toEqual([]);
    expect(orderCalls()).toBe(calls);
  });

  describe('dry run', () => {
    it('when planned on spot, then it answers the order in the market’s precision, places nothing, records nothing, and is audited', async () => {
      const jobs = await countSignalJobs(engine.app.redis, engine.app.prefix);
      const calls = orderCalls();
      const alert = binanceBuy({ token: TOKEN });
      const res = await submit(alert, { dryRun: true }).expect(200);
      expect(res.body).toMatchObject({
        dryRun: true,
        account: 'bn',
        exchange: 'binance',
        outcome: 'would_place',
        refusal: null,
        market: { symbol: 'BTC/USDT', type: 'spot', precision: { amount: 0.00001 } },
        snapshot: { price: 60000, balances: { USDT: { free: 10000 }, BTC: { free: 0.5 } } },
      });
      expect(res.body.intents).toEqual([
        expect.objectContaining({
          leg: 'open',
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'market',
          amount: 0.01234,
          estimatedCost: 740.4,
        }),
      ]);
      expect(res.body.calls.map((c: { call: string }) => c.call)).toEqual([
        'loadMarkets',
        'fetchPrice',
        'fetchBalance',
      ]);
      await settle();
      expect(sendsOf(res.body.id)).toEqual([]);
      expect(orderCalls()).toBe(calls);
      expect(await record(res.body.id)).toEqual({});
      expect(await countSignalJobs(engine.app.redis, engine.app.prefix)).toBe(jobs);
      expect(await auditActions(res.headers['x-request-id'])).toEqual(['signal.dry_run']);
      // No secret in the answer: neither the webhook token it carried, nor the key, nor exchange credentials.
      const text = JSON.stringify(res.body);
      for (const secret of [TOKEN, trader, 'fake-api-key-0123456789', 'fake-secret-0123456789'])
        expect(text).not.toContain(secret);
      // A real submission of the same alert gets the id the dry run announced.
      const real = await submit(alert).expect(202);
      expect(real.body.id).toBe(res.body.id);
      expect((await engine.final(real.body.id, 15_000)).status).toBe('filled');
    });

    it('when the balance cannot pay, then the refusal names the numbers', async () => {
      const calls = orderCalls();
      const res = await submit(binanceBuy({ quantity: '1' }), { dryRun: true }).expect(200);
      expect(res.body.outcome).toBe('refused');
      expect(res.body.refusal).toEqual({
        code: 'insufficient_balance',
        source: 'funds',
        currency: 'USDT',
        needed: 60000,
        available: 10000,
        reason: 'the orders need 60000 USDT, 10000 USDT is free: the exchange would refuse',
      });
      expect(orderCalls()).toBe(calls);
    });

    it('when the alert is older than its maxLagSeconds, then the dry run says a real signal would expire', async () => {
      const res = await submit(binanceBuy({ timestamp: timenow(-120), maxLagSeconds: 30 }), {
        dryRun: true,
      }).expect(200);
      expect(res.body.outcome).toBe('refused');
      expect(res.body.refusal).toEqual({
        code: 'expired',
        source: 'plan',
        reason: expect.stringMatching(
          /^1\d\d\.\d s after its timestamp, more than maxLagSeconds \(30\): a real signal would expire/,
        ),
      });
    });

    it('when the planner refuses, then its code and reason are answered', async () => {
      const res = await submit(binanceBuy({ quantity: '0.000001' }), { dryRun: true }).expect(200);
      expect(res.body.outcome).toBe('refused');
      expect(res.body.refusal).toMatchObject({ code: 'below_min_amount', source: 'plan' });
      expect(res.body.refusal.reason).toMatch(/\d/);
    });

    it('when planned on a perpetual with a position, then it answers the reduce-only close, the leverage and the opening in contract precision', async () => {
      perp.state.positions.BTCUSDT = { amount: 0.01, entryPrice: 60000 };
      const calls = orderCalls();
      const res = await submit(
        {
          id: randomUUID(),
          account: 'perp',
          symbol: 'BTCUSDT.P',
          action: 'short',
          quantity: '0.0157',
          leverage: 5,
          price: '60000',
        },
        { dryRun: true },
      ).expect(200);
      expect(res.body).toMatchObject({
        outcome: 'would_place',
        market: { symbol: 'BTC/USDT:USDT', type: 'swap', precision: { amount: 0.001 } },
        snapshot: { position: { contracts: 0.01, side: 'long' } },
      });
      expect(res.body.actions).toEqual([{ kind: 'set_leverage', symbol: 'BTC/USDT:USDT', leverage: 5 }]);
      expect(
        res.body.intents.map((i: Record<string, unknown>) => [
          i.leg,
          i.side,
          i.amount,
          i.reduceOnly ?? false,
        ]),
      ).toEqual([
        ['close', 'sell', 0.01, true],
        ['open', 'sell', 0.015, false],
      ]);
      expect(perp.requestsFor('setLeverage')).toEqual([]);
      expect(orderCalls()).toBe(calls);
    });

    it('when the alert is invalid, then 400 invalid_signal before any worker is asked', async () => {
      const res = await submit({ symbol: 'BTCUSDT', action: 'jump' }, { dryRun: true }).expect(400);
      expect(res.body.error).toBe('invalid_signal');
      expect(res.body.issues[0].path).toBe('action');
    });
  });
});
