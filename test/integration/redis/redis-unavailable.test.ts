import { type AddressInfo, type Server, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { AppError } from '../../../src/errors/app-error';
import { connectionOptions } from '../../../src/redis/redis-client';
import { isRedisUnavailable } from '../../../src/redis/redis-unavailable';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/** The rejection of `run`, which must fail. */
async function rejectionOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A port nothing listens on (a Redis that is down). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Each error is the one ioredis really raises in that situation, so a new ioredis wording turns this red.
describe('isRedisUnavailable', () => {
  const clients: Redis[] = [];
  let silent: Server | undefined;
  const prefix = uniquePrefix('redis-unavailable');
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
    await dropPrefix(prefix);
  });
  const track = (client: Redis) => {
    clients.push(client);
    return client;
  };

  it("when the web's fail-fast client has no connection, then its refusal and the socket's error are unavailable", async () => {
    const port = await closedPort();
    // The web's options exactly; no wait at disconnect for a socket that is already gone (an open handle).
    const options = connectionOptions({
      url: `redis://127.0.0.1:${port}`,
      mode: 'fail-fast',
      tlsRejectUnauthorized: true,
    });
    const client = track(new Redis({ ...options, disconnectTimeout: 0 }));
    client.on('error', () => undefined); // the later retries' errors, as createRedisClient does
    const socketError = new Promise<Error>((resolve) => client.once('error', resolve));
    const refused = await rejectionOf(() => client.get('k'));
    expect(refused.message).toMatch(/Stream isn't writeable/);
    expect(isRedisUnavailable(refused)).toBe(true);
    expect((await socketError) as Error & { code?: string }).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isRedisUnavailable(await socketError)).toBe(true);
  });

  it('when Redis accepts but never answers, then "Command timed out" is unavailable', async () => {
    // Reads and drops every command (so it also sees the client hang up), answers none.
    silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const client = track(new Redis({ port, host: '127.0.0.1', enableReadyCheck: false, commandTimeout: 50 }));
    const timedOut = await rejectionOf(() => client.get('k'));
    expect(timedOut.message).toBe('Command timed out');
    expect(isRedisUnavailable(timedOut)).toBe(true);
  });

  it('when a queued command gives up retrying, or the client was closed, then it is unavailable', async () => {
    const port = await closedPort();
    const retrying = track(
      new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, disconnectTimeout: 0 }),
    );
    retrying.on('error', () => undefined);
    const gaveUp = await rejectionOf(() => retrying.get('k'));
    expect(gaveUp.name).toBe('MaxRetriesPerRequestError');
    expect(isRedisUnavailable(gaveUp)).toBe(true);
    const quit = track(new Redis(REDIS_URL));
    await quit.quit();
    const closed = await rejectionOf(() => quit.get('k'));
    expect(closed.message).toMatch(/^Connection is closed/);
    expect(isRedisUnavailable(closed)).toBe(true);
  });

  it('when Redis answers an error, then only a "cannot serve now" reply (LOADING…) is unavailable, not a bug (WRONGTYPE)', async () => {
    const client = track(new Redis(REDIS_URL));
    await client.set(`${prefix}:string`, 'x');
    const wrongType = await rejectionOf(() => client.hget(`${prefix}:string`, 'f'));
    expect(wrongType.message).toMatch(/^WRONGTYPE/);
    expect(isRedisUnavailable(wrongType)).toBe(false);
    const loading = await rejectionOf(() =>
      client.eval("return redis.error_reply('LOADING Redis is loading the dataset in memory')", 0),
    );
    expect(loading.name).toBe('ReplyError');
    expect(isRedisUnavailable(loading)).toBe(true);
    const scriptBug = await rejectionOf(() => client.eval('return nil + 1', 0));
    expect(isRedisUnavailable(scriptBug)).toBe(false);
  });

  it('when an unavailable error is wrapped as the cause of another, then it is still unavailable; a bug is not', () => {
    const closed = new Error('Connection is closed.');
    const wrapped = new AppError('could not read', {
      code: 'store_failed',
      kind: 'transient',
      cause: closed,
    });
    expect(isRedisUnavailable(new Error('outer', { cause: wrapped }))).toBe(true);
    expect(isRedisUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      false,
    );
    expect(isRedisUnavailable(new Error('something else entirely'))).toBe(false);
    expect(isRedisUnavailable('Connection is closed.')).toBe(false);
    expect(isRedisUnavailable(undefined)).toBe(false);
    expect(isRedisUnavailable({ name: 'Error', message: 'Command timed out' })).toBe(true);
  });
});
