import { startThread } from './engine-thread';

/** One request the fake exchange received, timed in its own thread on the shared clock (engine-clock.ts). */
export interface ExchangeRequestTiming {
  /** The fake's operation name: `exchangeInfo`, `queryOrder`, `createOrder`… */
  operation: string;
  /** `origClientOrderId` (lookups) or `newClientOrderId` (orders), when the request carries one. */
  clientOrderId?: string;
  symbol?: string;
  /** When the request's headers were parsed by the fake's HTTP server (`http.server.request.start`). */
  arrivedAt: number;
  /** When the fake handed its answer to the socket (`res.end()`); NaN if it never answered. */
  answeredAt: number;
  status: number;
}

export interface FakeCollect {
  /** Requests received since the previous collect, in arrival order. */
  requests: ExchangeRequestTiming[];
  /** CPU seconds of the fake's thread so far (10 ms ticks). */
  threadCpuSeconds: number;
  /** Requests the fake had no route for (a gap in the fake). */
  unhandled: string[];
}

export type FakeCommand = { type: 'collect' } | { type: 'close' };
export type FakeAnswer = FakeCollect | { closed: true };

export interface FakeThreadOptions {
  /** Spot pairs beside BTCUSDT and ETHUSDT (keys of EXTRA_SPOT_LISTINGS). */
  extraSymbols: string[];
  /** Free USDT of the fake account: enough for every order of the run. */
  usdt: number;
}

export interface FakeThread {
  url: string;
  exchangeId: 'binance';
  /** Prices the fake quotes, per exchange symbol (`BTCUSDT`). */
  prices: Record<string, number>;
  collect(): Promise<FakeCollect>;
  close(): Promise<void>;
}

/**
 * A FakeBinance spot server in a worker thread of its own: in production the exchange is another machine, so
 * its parsing and answering must not queue behind tradehook's event loop (nor count as tradehook's CPU).
 */
export async function startFakeThread(options: FakeThreadOptions): Promise<FakeThread> {
  const { ready, channel } = await startThread<
    { url: string; prices: Record<string, number> },
    FakeCommand,
    FakeAnswer
  >('engine-fake-thread.ts', options);
  return {
    url: ready.url,
    exchangeId: 'binance',
    prices: ready.prices,
    collect: async () => (await channel.call({ type: 'collect' })) as FakeCollect,
    async close() {
      await channel.call({ type: 'close' });
      await channel.exited;
    },
  };
}
