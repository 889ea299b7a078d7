import { Writable } from 'node:stream';
import { type OrderIntent } from '../../../src/exchange/exchange-session';
import { executeSignal } from '../../../src/execution/execute-signal';
import { type ExecutionDeps } from '../../../src/execution/execution-deps';
import { createLogger } from '../../../src/observability/logger';
import { type Alert } from '../../../src/signals/alert';
import { type SignalEnvelope } from '../../../src/signals/signal';
import { type FakeClock } from './fake-clock';
import { MemoryExchange } from './memory-exchange';

/** A silent logger: these tests read the records, not the lines. */
export const silentLogger = createLogger({
  level: 'error',
  json: true,
  stream: new Writable({ write: (_chunk, _encoding, done) => done() }),
});

/** A signal of account `main`: a market order of 0.01 BTCUSDT at 60,000 unless `alert` says otherwise. */
export function mainSignal(
  envelope: Omit<SignalEnvelope, 'alert'>,
  alert: Partial<Alert> = {},
): SignalEnvelope {
  return {
    ...envelope,
    alert: {
      account: 'main',
      symbol: 'BTCUSDT',
      orderType: 'market',
      quantity: 0.01,
      quantityType: 'base',
      price: 60_000,
      ...alert,
    },
  };
}

/**
 * The exchange of account `main`, filling market orders at `price`; each order's answer comes `answerMs`
 * later on `clock`, with `fee` when given.
 */
export function timedExchange(
  clock: FakeClock,
  script: { price: number; answerMs: number; fee?: { cost: number; currency: string } },
): MemoryExchange {
  const exchange = new MemoryExchange(clock, { accountId: 'main' });
  exchange.price = script.price;
  const create = exchange.createOrder.bind(exchange);
  exchange.createOrder = async (intent: OrderIntent, options) => {
    clock.advance(script.answerMs);
    const order = await create(intent, options);
    return script.fee ? { ...order, fee: script.fee } : order;
  };
  return exchange;
}

/** executeSignal with account `main` (spot) alone on `exchange`; signals expire after 300 s. */
export function executeOnMain(
  signal: SignalEnvelope,
  deps: Pick<ExecutionDeps, 'history' | 'clock'> & { exchange: MemoryExchange } & Partial<ExecutionDeps>,
): ReturnType<typeof executeSignal> {
  const { exchange, ...rest } = deps;
  return executeSignal(signal, {
    accounts: new Map([['main', { id: 'main', defaultType: 'spot', symbols: [] }]]),
    session: () => exchange,
    logger: silentLogger,
    maxAgeSeconds: 300,
    ...rest,
  });
}
