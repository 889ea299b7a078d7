import { subscribe } from 'node:diagnostics_channel';
import { type IncomingMessage, ServerResponse } from 'node:http';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FakeBinance } from '../test/support/fake-exchange';
import { clockMs, currentThreadCpuSeconds } from './engine-clock';
import type { ExchangeRequestTiming, FakeAnswer, FakeCommand, FakeThreadOptions } from './engine-fake';
import { serveCommands } from './engine-thread';

interface Timing {
  arrivedAt: number;
  answeredAt: number;
  status: number;
}

/**
 * Runs in its own thread (see engine-fake.ts). Requests are timed without changing the fake: arrival through
 * Node's built-in HTTP diagnostics channel when the headers are parsed, answer when the fake calls `res.end()`
 * (ServerResponse.end wrapped in this thread only; 'finish' as a fallback). A timing is joined to the fake's own record of the request (which holds the parsed parameters,
 * body included) through the request's headers object, which both share.
 */
async function main(options: FakeThreadOptions): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engine-fake-thread must run in a worker thread');
  const timings = new WeakMap<object, Timing>();
  // The answer leaves when the fake calls res.end() (this thread's copy of the class only); 'finish' comes
  // later and, on a busy machine, may run after the client already read the answer.
  const end = ServerResponse.prototype.end;
  ServerResponse.prototype.end = function (this: ServerResponse, ...args: unknown[]) {
    const timing = timings.get((this.req as IncomingMessage | undefined)?.headers ?? {});
    if (timing && Number.isNaN(timing.answeredAt)) {
      timing.answeredAt = clockMs();
      timing.status = this.statusCode;
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof end;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    timings.set(request.headers, { arrivedAt: clockMs(), answeredAt: NaN, status: 0 });
  });
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const timing = timings.get(request.headers);
    if (timing && Number.isNaN(timing.answeredAt)) {
      timing.answeredAt = clockMs();
      timing.status = response.statusCode;
    }
  });

  const fake = new FakeBinance('binance', { extraSymbols: options.extraSymbols });
  fake.state.spotBalances.USDT = { free: options.usdt, locked: 0 };
  await fake.start();
  let collected = 0;

  const collect = (): ExchangeRequestTiming[] => {
    const fresh = fake.requests.slice(collected);
    collected = fake.requests.length;
    return fresh.map((r) => {
      const t = timings.get(r.headers) ?? { arrivedAt: NaN, answeredAt: NaN, status: 0 };
      const clientOrderId = r.params.origClientOrderId ?? r.params.newClientOrderId;
      return {
        operation: r.operation,
        ...(clientOrderId === undefined ? {} : { clientOrderId: String(clientOrderId) }),
        ...(r.params.symbol === undefined ? {} : { symbol: String(r.params.symbol) }),
        arrivedAt: t.arrivedAt,
        answeredAt: t.answeredAt,
        status: t.status,
      };
    });
  };

  port.postMessage({ ok: true, answer: { url: fake.url, prices: { ...fake.state.prices } } });
  serveCommands<FakeCommand, FakeAnswer>(port, async (command) => {
    if (command.type === 'collect') {
      return { requests: collect(), threadCpuSeconds: currentThreadCpuSeconds(), unhandled: fake.unhandled };
    }
    await fake.close();
    setImmediate(() => port.close());
    return { closed: true };
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  main(workerData as FakeThreadOptions).catch((error: Error) =>
    port.postMessage({ ok: false, message: error.stack ?? error.message }),
  );
}
