import { type Socket } from 'node:net';
import { type Redis } from 'ioredis';
import { closeRedis, createRedisClient, waitForReady } from '../../../src/redis/redis-client';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/** The clients tradehook opens send the commands of one event-loop turn in one write, on every connection. */
describe('Redis clients: one write per event-loop turn', () => {
  const prefix = uniquePrefix('coalesce');
  let client: Redis;

  /** Counts what the client's current socket hands the kernel: one `_writev`/`_write` call per syscall. */
  const countWrites = () => {
    const socket = (client as unknown as { stream: Socket & { _writev: unknown; _write: unknown } }).stream;
    const calls = { writev: 0, write: 0, chunks: 0 };
    const writev = socket._writev as (chunks: unknown[], cb: unknown) => void;
    const write = socket._write as (...args: unknown[]) => void;
    socket._writev = function (this: Socket, chunks: unknown[], cb: unknown) {
      calls.writev += 1;
      calls.chunks += chunks.length;
      return writev.call(this, chunks, cb);
    };
    socket._write = function (this: Socket, ...args: unknown[]) {
      calls.write += 1;
      calls.chunks += 1;
      return write.apply(this, args);
    };
    return calls;
  };

  /** Twenty commands, each from its own timer callback, all in one turn; their answers. */
  const commandsOfOneTurn = () =>
    new Promise<(string | null)[]>((resolve, reject) => {
      const replies: Promise<string | null>[] = [];
      for (let i = 0; i < 20; i++) {
        setTimeout(
          () =>
            replies.push(client.set(`${prefix}:k${i}`, `v${i}`).then(() => client.get(`${prefix}:k${i}`))),
          0,
        );
      }
      setTimeout(() => Promise.all(replies).then(resolve, reject), 0);
    });

  beforeAll(async () => {
    client = createRedisClient({ url: REDIS_URL, tlsRejectUnauthorized: true, mode: 'fail-fast' });
    await waitForReady(client);
  });
  afterAll(async () => {
    await dropPrefix(prefix);
    await closeRedis(client);
  });

  it('when twenty callbacks of one turn each send a command, then one write carries all twenty and every reply matches', async () => {
    const calls = countWrites();
    const values = await commandsOfOneTurn();
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
    // The twenty SETs left in one writev; the twenty GETs (each sent from its SET's reply) in few more.
    expect(calls.chunks).toBe(40);
    expect(calls.writev + calls.write).toBeLessThanOrEqual(4);
  });

  it('when the connection is re-established, then the new socket coalesces too', async () => {
    const reconnected = new Promise((resolve) => client.once('ready', resolve));
    client.disconnect(true);
    await reconnected;
    const calls = countWrites();
    await commandsOfOneTurn();
    expect(calls.chunks).toBe(40);
    expect(calls.writev + calls.write).toBeLessThanOrEqual(4);
  });
});
