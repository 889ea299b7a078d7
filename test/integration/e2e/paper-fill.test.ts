import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { dec } from '../../../src/exchange/paper/decimal';
import { paperWallet } from '../../support/paper-book';
import { signedHeaders } from '../../support/sign';
import { type TestApp, eventually, startTestApp, timenow } from '../../support/test-app';
import { webhookAlert } from '../../support/webhook-alert';

const TOKEN = 'e2e-token-abcdef';
const SECRET = 'whsec_ZTJlLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm';

describe('end to end: HTTP to a paper fill', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(
      'e2e',
      {
        WEBHOOK_TOKENS: TOKEN,
        WEBHOOK_SECRETS: SECRET,
        PAPER_BALANCES: 'USDT:1000,BTC:0.5',
        LOG_LEVEL: 'debug',
      },
      { worker: true },
    );
  });
  afterAll(() => app.close());

  /** A TradingView alert with this file's token and an id of its own; `extra` overrides fields. */
  const tokenAlert = (extra: Record<string, unknown>) =>
    webhookAlert(`e2e-${randomUUID()}`, { token: TOKEN, ...extra });
  const post = (body: string, headers: Record<string, string>, path = '/webhook') =>
    request(app.url).post(path).set(headers).send(body);
  const JSON_TYPE = { 'content-type': 'application/json' };
  const postSigned = (alert: Record<string, unknown>) => {
    const body = JSON.stringify(alert);
    return post(body, signedHeaders(body, { secret: SECRET }));
  };
  const record = async (id: string) => {
    const h = await app.redis.hgetall(`${app.prefix}:signal:${id}`);
    return h.status && !['queued', 'processing'].includes(h.status) ? h : undefined;
  };

  it('when a TradingView alert is posted, then it is filled on the paper exchange and the record tells the story', async () => {
    const wallet = async () => {
      const { USDT = '1000', BTC = '0.5' } = await paperWallet(app.redis, app.prefix, 'default');
      return { USDT: dec(USDT), BTC: dec(BTC) };
    };
    const before = await wallet();
    const alert = tokenAlert({ symbol: 'BINANCE:BTCUSDT', quantity: '0.01', price: '50000' });
    const res = await post(alert, { 'content-type': 'text/plain' }); // as TradingView sends it
    expect(res.status).toBe(202);

    const done = await eventually(() => record(res.body.id));
    expect(done.status).toBe('filled');
    const orders = JSON.parse(done.orders);
    expect(orders).toEqual([
      expect.objectContaining({
        side: 'buy',
        symbol: 'BTC/USDT',
        amount: 0.01,
        filled: 0.01,
        average: 50000,
        status: 'closed',
      }),
    ]);
    expect(orders[0].clientOrderId).toMatch(/^th[0-9a-f]{24}open$/);
    expect(Number(done.receivedAt)).toBeLessThanOrEqual(Number(done.queuedAt));
    expect(Number(done.startedAt)).toBeLessThanOrEqual(Number(done.finishedAt));
    expect(Number(done.attempts)).toBe(1);

    // 0.01 BTC at 50000 = 500 USDT, plus a 0.1 % fee: exact decimals.
    const after = await wallet();
    expect(before.USDT.minus(after.USDT).toFixed()).toBe('500.5');
    expect(after.BTC.minus(before.BTC).toFixed()).toBe('0.01');
  });

  it('when a signed alert asks for more than the balance, then the signal fails with the reason', async () => {
    const res = await postSigned({ symbol: 'ETH/USDT', action: 'buy', quantity: 100, price: 3000 });
    const done = await eventually(() => record(res.body.id));
    expect(done.status).toBe('failed');
    expect(JSON.parse(done.error)).toEqual({
      code: 'insufficient_funds',
      message: expect.stringContaining('USDT'),
    });
  });

  it('when a spot account is told to short, then the signal is rejected with a reason', async () => {
    const res = await postSigned({ symbol: 'BTCUSDT', action: 'short', quantity: 0.01, price: 50000 });
    const done = await eventually(() => record(res.body.id));
    expect(done.status).toBe('rejected');
    expect(JSON.parse(done.error).code).toBe('spot_short');
  });

  it('when an alert lags more than its maxLagSeconds, then it expires instead of trading', async () => {
    const alert = tokenAlert({
      timestamp: timenow(-120),
      action: 'sell',
      quantity: 0.01,
      price: 50000,
      maxLagSeconds: 60,
    });
    const res = await post(alert, JSON_TYPE);
    const done = await eventually(() => record(res.body.id));
    expect(done.status).toBe('expired');
    expect(JSON.parse(done.error).message).toMatch(/maxLagSeconds/);
  });

  it('when the run is over, then no token or secret appears in any log line, record or job', async () => {
    // Also through the path-token route, and a near-miss token (a typo of the real one is sensitive too).
    const alert = { timestamp: timenow(), symbol: 'BTCUSDT', action: 'buy', quantity: 0.001, price: 50000 };
    const viaPath = await post(JSON.stringify(alert), JSON_TYPE, `/webhook/${TOKEN}`);
    expect(viaPath.status).toBe(202);
    await eventually(() => record(viaPath.body.id));
    const typo = `${TOKEN}x`;
    const refused = await post(JSON.stringify(alert), JSON_TYPE, `/webhook/${typo}`);
    expect(refused.status).toBe(401);
    expect(app.logs.text()).not.toContain(typo);
    const logText = app.logs.text();
    // The logs were captured (the scan below would pass on nothing): this run's own order is in them.
    expect(logText).toContain(`"signalId":"${viaPath.body.id}"`);
    expect(logText).toContain('order placed');
    for (const secret of [TOKEN, SECRET, SECRET.slice(6)]) {
      expect(logText).not.toContain(secret);
      for (const key of await app.redis.keys(`${app.prefix}:*`)) {
        const type = await app.redis.type(key);
        const dump =
          type === 'hash'
            ? JSON.stringify(await app.redis.hgetall(key))
            : type === 'string'
              ? await app.redis.get(key)
              : type === 'list'
                ? JSON.stringify(await app.redis.lrange(key, 0, -1))
                : '';
        expect(dump ?? '').not.toContain(secret);
      }
    }
  });
});
