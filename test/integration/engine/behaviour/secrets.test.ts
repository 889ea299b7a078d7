import { randomUUID } from 'node:crypto';
import { type Redis } from 'ioredis';
import request from 'supertest';
import {
  FakeBinance,
  FakeBybit,
  type FakeExchangeServer,
  makeCcxtAccount,
} from '../../../support/fake-exchange';
import { timenow } from '../../../support/test-app';
import { type Engine, TOKEN, startEngine } from './engine-harness';

const BINANCE_KEY = 'bhBinanceApiKey9Q2w7E4r1T6y';
const BINANCE_SECRET = 'bhBinanceSecret3Z8x5C0v2B7n';
const BYBIT_KEY = 'bhBybitApiKey6M1k4J9h3G5f';
const BYBIT_SECRET = 'bhBybitSecret8D2s6A0p4O1i';

/** Every value stored under the prefix, whatever the key's type (BullMQ jobs, events streams, records…). */
async function dumpPrefix(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await redis.keys(`${prefix}:*`)) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    else value = `<${type}>`;
    parts.push(`${key} ${JSON.stringify(value)}`);
  }
  return parts.join('\n');
}

/** Request signatures ccxt computed with the account secrets (derived from them, so not to be kept either). */
const signaturesSeenBy = (fake: FakeExchangeServer): string[] =>
  fake.requests
    .map((r) => String(r.params.signature ?? r.headers['x-bapi-sign'] ?? ''))
    .filter((s) => s.length >= 16);

describe('engine secrets: exchange keys and the webhook token stay out of logs and Redis', () => {
  const binance = new FakeBinance('binance');
  const bybit = new FakeBybit();
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine('bh-secrets', [binance, bybit], ([bn, by]) => [
      makeCcxtAccount(bn, { id: 'bn', defaultType: 'spot', apiKey: BINANCE_KEY, secret: BINANCE_SECRET }),
      makeCcxtAccount(by, { id: 'by', defaultType: 'swap', apiKey: BYBIT_KEY, secret: BYBIT_SECRET }),
    ]);
  });
  afterAll(() => engine.close());

  it('when alerts succeed, fail, retry and get lost in every way, then no key, secret, signature or token is logged or stored', async () => {
    const statuses: string[] = [];
    const run = async (alert: Record<string, unknown>) => statuses.push((await engine.run(alert)).status);

    // A fill on each exchange.
    await run({ account: 'bn', symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 });
    await run({ account: 'by', symbol: 'BTCUSDT', action: 'long', quantity: 0.01, stopLoss: { percent: 2 } });
    // Transient failures of signed calls (ccxt puts the request URL, signature included, in its message).
    binance.failNext('queryOrder', { status: 503 }).failNext('createOrder', { status: 503 });
    await run({ account: 'bn', symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 });
    // A lost response, adopted.
    binance.failNext('createOrder', { dropResponseAfterProcessing: true });
    await run({ account: 'bn', symbol: 'BTCUSDT', action: 'sell', quantity: 0.001 });
    // Permanent refusals: an invalid order, and insufficient funds. (Not -2015: once a key has worked, ccxt
    // reads "Invalid API-key" as a temporary ban and the engine waits it out.)
    binance.failNext('createOrder', { binanceCode: -1013, msg: 'Filter failure: NOTIONAL' });
    await run({ account: 'bn', symbol: 'BTCUSDT', action: 'buy', quantity: 0.001 });
    bybit.failNext('createOrder', { bybitRetCode: 110007, msg: 'ab not enough for new order' });
    await run({ account: 'by', symbol: 'BTCUSDT', action: 'short', quantity: 0.01 });
    // A signed GET failing on every attempt of a read: its URL (query signed) lands in the log line.
    for (let i = 0; i < 3; i++) binance.failNext('balance', { status: 503 });
    // The token as passphrase and in the path.
    await run({ account: 'bn', symbol: 'BTCUSDT', action: 'close', token: undefined, passphrase: TOKEN });
    const viaPath = await request(engine.app.url)
      .post(`/webhook/${TOKEN}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ id: randomUUID(), timestamp: timenow(), symbol: 'ETHUSDT', action: 'cancel' }));
    expect(viaPath.status).toBe(202);
    statuses.push((await engine.final(viaPath.body.id)).status);

    // Every path above really ran (a test that leaks nothing because nothing happened proves nothing).
    expect(statuses).toEqual(['filled', 'filled', 'filled', 'filled', 'failed', 'failed', 'filled', 'done']);
    const logs = engine.app.logs.text();
    expect(logs).toContain('order placed');
    expect(logs).toContain('transient exchange failure; waiting');
    expect(logs).toContain('signal finished');
    expect(logs).toContain('/api/v3/account?[redacted]');

    const stored = await dumpPrefix(engine.app.redis, engine.app.prefix);
    expect(stored).toContain('"status"');
    const signatures = [...signaturesSeenBy(binance), ...signaturesSeenBy(bybit)];
    expect(signatures.length).toBeGreaterThan(5);
    const forbidden = [BINANCE_KEY, BINANCE_SECRET, BYBIT_KEY, BYBIT_SECRET, TOKEN, ...signatures];
    for (const value of forbidden) {
      expect({ value, inLogs: logs.includes(value) }).toEqual({ value, inLogs: false });
      expect({ value, inRedis: stored.includes(value) }).toEqual({ value, inRedis: false });
    }
  });
});
