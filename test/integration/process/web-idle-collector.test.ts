import { runEntry } from '../../support/entry-process';
import { timenow } from '../../support/test-app';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';

/**
 * The web entry (`src/main/web.ts`) runs the idle collector: after a spell of work and a quiet second it
 * collects, and says so at debug level. The collector's rules and its collection are unit-tested
 * (test/unit/main/idle-collector.test.ts); this checks that the process really runs it, and that
 * `WEB_IDLE_GC=false` turns it off.
 */
describe('web process: memory given back after activity', () => {
  const prefix = uniquePrefix('web-idle');
  afterAll(() => dropPrefix(prefix));

  /** Starts the web entry with `env`, gives it work (a management request, then 300 alerts) and returns it. */
  const busyWeb = async (env: Record<string, string>) => {
    const web = runEntry('src/main/web.ts', {
      LOG_LEVEL: 'debug',
      PORT: '0',
      QUEUE_PREFIX: prefix,
      WEBHOOK_TOKENS: 'idle-token',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    });
    try {
      const [, port] = await web.waitFor(/"port":(\d+)/, 20_000);
      const base = `http://127.0.0.1:${port}`;
      // Activity: the first management request loads the operations side (Express, the API, the OpenAPI
      // document: a few hundred ms of work on the event loop, however loaded the machine), then alerts.
      expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
      let sent = 0;
      const sender = async () => {
        while (sent < 300) {
          const res = await fetch(`${base}/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              token: 'idle-token',
              id: `idle-${env.WEB_IDLE_GC ?? 'on'}-${sent++}`,
              timestamp: timenow(),
              symbol: 'BTCUSDT',
              action: 'buy',
              quantity: 0.001,
            }),
          });
          expect(res.status).toBe(202);
          await res.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: 20 }, sender));
      return web;
    } catch (error) {
      web.kill('SIGTERM');
      await web.exitCode;
      throw error;
    }
  };

  it('when the web has been busy and falls quiet, then it runs a full collection within seconds', async () => {
    const web = await busyWeb({});
    try {
      // A quiet second (the loop is sampled each second) and it collects.
      await web.waitFor(/memory given back after activity/, 15_000);
      const line = web
        .output()
        .split('\n')
        .find((l) => l.includes('memory given back'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({
        level: 'debug',
        rssMb: [expect.any(Number), expect.any(Number)],
        heapUsedMb: [expect.any(Number), expect.any(Number)],
      });
    } finally {
      web.kill('SIGTERM');
      await web.exitCode;
    }
  }, 60_000);

  it('when WEB_IDLE_GC is false, then the web says so at start and does not collect after the same work', async () => {
    const web = await busyWeb({ WEB_IDLE_GC: 'false' });
    try {
      expect(web.output()).toContain('idle collector off (WEB_IDLE_GC=false)');
      // Six quiet seconds: with the collector on, the first collection comes after one quiet second.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(web.output()).not.toContain('memory given back after activity');
    } finally {
      web.kill('SIGTERM');
      await web.exitCode;
    }
  }, 60_000);
});
