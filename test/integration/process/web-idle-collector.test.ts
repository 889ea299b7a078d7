import { type EntryRun, runEntry } from '../../support/entry-process';
import { timenow } from '../../support/test-app';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';

/** The web's debug lines saying so, parsed (JSON lines: NODE_ENV=production). */
const linesOf = (output: string, message: string) =>
  output
    .split('\n')
    .filter((l) => l.includes(message))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * The web entry (`src/main/web.ts`) runs the idle collector: after a spell of work and a quiet second it
 * collects, and says so at debug level; after its last collection it warms the webhook's code again
 * (src/main/intake-warm-up.ts), as it does at start. The collector's rules and its collection are
 * unit-tested (test/unit/main/idle-collector.test.ts), the warm-up's effects in
 * test/integration/intake/warm-up.test.ts; this checks that the process really runs them, and that
 * `WEB_IDLE_GC=false` and `WEB_WARM_UP=false` turn them off.
 */
describe('web process: memory given back after activity, code warmed again', () => {
  const prefix = uniquePrefix('web-idle');
  afterAll(() => dropPrefix(prefix));

  /**
   * Starts the web entry with `env`, gives it work (a management request, then 300 alerts), runs `check` on
   * it, and stops it whatever happened.
   */
  let runs = 0;
  const withBusyWeb = async (env: Record<string, string>, check: (web: EntryRun) => Promise<void>) => {
    const run = ++runs;
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
              id: `idle-${run}-${sent++}`,
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
      await check(web);
    } finally {
      web.kill('SIGTERM');
      await web.exitCode;
    }
  };

  it('when the web has been busy and falls quiet, then it collects within seconds, twice, then warms its code again, once', async () => {
    await withBusyWeb({}, async (web) => {
      // A quiet second (the loop is sampled each second) and it collects.
      await web.waitFor(/memory given back after activity/, 15_000);
      expect(linesOf(web.output(), 'memory given back')[0]).toMatchObject({
        level: 'debug',
        rssMb: [expect.any(Number), expect.any(Number)],
        heapUsedMb: [expect.any(Number), expect.any(Number)],
      });
      // Six quiet seconds later the second collection, then the warm-up (the one at start, a second after
      // listening, met the test's requests and stopped, or finished before them).
      await web.waitFor(
        /memory given back after activity[^]*memory given back after activity[^]*"ended":"done","level":"debug","message":"intake warmed up"/,
        20_000,
      );
      const warmUps = linesOf(web.output(), 'intake warmed up');
      expect(warmUps[warmUps.length - 1]).toMatchObject({ level: 'debug', alerts: 2000, ended: 'done' });
      // Its own activity (a second of work) arms no new collection, hence no new warm-up: nothing follows it.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const output = web.output();
      const after = output.slice(
        output.lastIndexOf('"ended":"done","level":"debug","message":"intake warmed up"'),
      );
      expect(after.split('\n').filter((l) => l.includes('"message"'))).toHaveLength(1);
    });
  }, 60_000);

  it('when WEB_IDLE_GC is false, then the web says so at start and does not collect after the same work', async () => {
    await withBusyWeb({ WEB_IDLE_GC: 'false' }, async (web) => {
      expect(web.output()).toContain('idle collector off (WEB_IDLE_GC=false)');
      // Six quiet seconds: with the collector on, the first collection comes after one quiet second.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(web.output()).not.toContain('memory given back after activity');
      // The warm-up at start still runs (it finished, or stopped at the test's first request).
      expect(linesOf(web.output(), 'intake warmed up')).toHaveLength(1);
    });
  }, 60_000);

  it('when WEB_WARM_UP is false, then the web collects after the work but never warms its code', async () => {
    await withBusyWeb({ WEB_WARM_UP: 'false' }, async (web) => {
      await web.waitFor(/memory given back after activity[^]*memory given back after activity/, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(web.output()).not.toContain('intake warmed up');
      expect(web.output()).not.toContain('intake warm-up');
    });
  }, 60_000);
});
