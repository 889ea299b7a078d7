import { type RequestListener } from 'node:http';
import { connect } from 'node:net';
import { IntakeWarmUp, type IntakeWarmUpOptions } from '../../../src/main/intake-warm-up';

/**
 * IntakeWarmUp's own rules against a plain HTTP listener (no Redis): how it ends when the shadow intake refuses
 * an alert or its clean-up fails. What it leaves in Redis is tested with the real web process
 * (test/integration/intake/warm-up.test.ts).
 */
describe('IntakeWarmUp', () => {
  /** A listener answering each alert with `statusOf(n)` (n counts from 1); the alerts it took. */
  const answering = (statusOf: (n: number) => number) => {
    const taken: string[] = [];
    const listener: RequestListener = (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        taken.push(body);
        // With its length, as the webhook answers (the warm-up's client reads no chunked answers).
        res
          .writeHead(statusOf(taken.length), { 'content-type': 'application/json', 'content-length': '2' })
          .end('{}');
      });
    };
    return { listener, taken };
  };
  const warmUp = (listener: RequestListener, options: Partial<IntakeWarmUpOptions> = {}) =>
    new IntakeWarmUp({
      listener,
      serverOptions: {},
      credentials: { token: 'warm-up-token' },
      activity: () => 0,
      cleanup: async () => undefined,
      alerts: 40,
      connections: 2,
      ...options,
    });
  /** Whether something still listens on the loopback port. */
  const listening = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

  it('when every alert is accepted, then it sends them all, in token mode, and cleans up once at the end', async () => {
    const { listener, taken } = answering(() => 202);
    const cleanup = jest.fn(async () => undefined);

    const result = await warmUp(listener, { cleanup }).run();

    expect(result).toMatchObject({ ended: 'done', sent: 40, accepted: 40 });
    expect(taken).toHaveLength(40);
    expect(taken.every((body) => (JSON.parse(body) as { token?: string }).token === 'warm-up-token')).toBe(
      true,
    );
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  it('when the shadow intake refuses an alert, then the warm-up stops at once, says which answer, and cleans up', async () => {
    const { listener, taken } = answering((n) => (n === 5 ? 400 : 202));
    const cleanup = jest.fn(async () => undefined);

    const result = await warmUp(listener, { cleanup }).run();

    expect(result).toMatchObject({ ended: 'refused', status: 400 });
    // The other connection may have had one alert in flight: nothing more is sent after the refusal.
    expect(result.sent).toBeLessThanOrEqual(6);
    expect(taken.length).toBe(result.sent);
    expect(result.accepted).toBe(result.sent - 1);
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  it('when the clean-up fails, then the warm-up fails with its error, its server is closed, and the next one runs', async () => {
    const { listener } = answering(() => 202);
    let ports: number[] = [];
    let failing = true;
    const warm = warmUp(
      (req, res) => {
        ports.push(req.socket.localPort ?? 0);
        listener(req, res);
      },
      {
        cleanup: async () => {
          if (failing) throw new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
        },
      },
    );

    await expect(warm.run()).rejects.toThrow(/WRONGTYPE/);
    expect(ports.length).toBeGreaterThan(0);
    expect(await listening(ports[0])).toBe(false);

    failing = false;
    ports = [];
    await expect(warm.run()).resolves.toMatchObject({ ended: 'done', sent: 40 });
  });
});
