import net from 'node:net';
import { Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DryRunClient } from '../../../src/dryrun/dry-run-client';
import { DRY_RUN_QUEUE, type DryRunAnswer } from '../../../src/dryrun/dry-run-answer';
import { dropPrefix, REDIS_URL, uniquePrefix } from '../../support/test-redis';

/**
 * The web's side of the dry run against real Redis and a real BullMQ worker. Its answer-reading connection
 * goes through a proxy that holds every byte for a while, so that a worker answers before the reader's first
 * read reaches Redis — the race that lost the first dry run of a web process.
 */
describe('DryRunClient', () => {
  const prefix = uniquePrefix('dry-run-client');
  const redis = new Redis(REDIS_URL);
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const upstream = new URL(REDIS_URL);
  const proxies: net.Server[] = [];
  const releases: (() => void)[] = [];
  let worker: Worker;
  const clients: DryRunClient[] = [];

  const answer = (requestId: string) =>
    ({ requestId, outcome: 'planned', account: 'paper', intents: [] }) as unknown as DryRunAnswer;

  /** A proxy to Redis that holds what the client sends for `delayMs` (order kept) until released. */
  interface DelayingProxy {
    port: number;
    /** Forwards what it holds now, and everything later at once. */
    release(): void;
  }
  async function delayingProxy(delayMs: number): Promise<DelayingProxy> {
    let released = false;
    const held: (() => void)[] = [];
    const flushSoon = () =>
      setTimeout(() => {
        const ready = held.splice(0, 1);
        for (const write of ready) write();
      }, delayMs).unref();
    const server = net.createServer((socket) => {
      const redisSide = net.connect(Number(upstream.port || 6379), upstream.hostname);
      socket.on('data', (chunk) => {
        if (released) return void redisSide.write(chunk);
        held.push(() => redisSide.write(chunk));
        flushSoon();
      });
      redisSide.pipe(socket);
      const end = () => {
        socket.destroy();
        redisSide.destroy();
      };
      socket.on('error', end).on('close', end);
      redisSide.on('error', end).on('close', end);
    });
    proxies.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const proxy = {
      port: (server.address() as net.AddressInfo).port,
      release: () => {
        released = true;
        for (const write of held.splice(0)) write();
      },
    };
    releases.push(proxy.release);
    return proxy;
  }

  const client = (events: { host: string; port: number }, timeoutMs: number) => {
    const made = new DryRunClient({
      connection: redis,
      events: { ...events, maxRetriesPerRequest: null },
      prefix,
      heartbeats: async () => [Date.now()],
      timeoutMs,
    });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    // Answers 100 ms after it takes a request: after the client checked the job, before its reader listens.
    worker = new Worker(
      DRY_RUN_QUEUE,
      async (job) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return answer(job.data.requestId);
      },
      { connection: workerConnection, prefix },
    );
    await worker.waitUntilReady();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    for (const release of releases) release();
    await Promise.all(clients.map((c) => c.close()));
    await worker.close();
    for (const server of proxies) server.close();
    await dropPrefix(prefix);
    redis.disconnect();
    workerConnection.disconnect();
  });

  it('when the worker answers before the answer reader first reads, then the first dry runs still get their answers from the stream', async () => {
    // Events from before the client existed must not be mistaken for its answer.
    await redis.xadd(`${prefix}:${DRY_RUN_QUEUE}:events`, '*', 'event', 'drained');
    const dryRuns = client({ host: '127.0.0.1', port: (await delayingProxy(300)).port }, 8_000);
    // The client reads a finished job back only when the stream did not bring its answer.
    const readBack = jest.spyOn(Job, 'fromId');

    // The first dry run opens the reader; the second is answered while the reader's first read is on its way.
    const first = await dryRuns.run({ requestId: 'first', alert: {} } as never);
    const second = await dryRuns.run({ requestId: 'second', alert: {} } as never);

    expect(first).toEqual(answer('first'));
    expect(second).toEqual(answer('second'));
    // Both through the stream, not by the fallback read after the 8 s bound.
    expect(readBack).not.toHaveBeenCalled();
  });

  it('when the answer reader is not connected by the bound, then the answer is read from the finished job', async () => {
    // The reader's connection comes up only after 10 s; the client waits 1 s.
    const dryRuns = client({ host: '127.0.0.1', port: (await delayingProxy(10_000)).port }, 1_000);

    const readBack = jest.spyOn(Job, 'fromId');

    const got = await dryRuns.run({ requestId: 'unread', alert: {} } as never);

    expect(got).toEqual(answer('unread'));
    expect(readBack).toHaveBeenCalledTimes(1);
  });
});
