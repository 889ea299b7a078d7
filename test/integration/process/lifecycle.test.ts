import { spawn } from 'node:child_process';
import { ROOT, runEntry as run } from '../../support/entry-process';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';
import { timenow } from '../../support/test-app';

describe('process lifecycle', () => {
  it('when the configuration is bad, then the web process exits 1 listing every problem at once', async () => {
    const web = run('src/main/web.ts', {
      RATE_LIMIT_PER_MINUTE: 'lots',
      PORT: 'eighty',
      LOG_LEVEL: 'chatty',
    });
    expect(await web.exitCode).toBe(1);
    const out = web.output();
    expect(out).toContain('RATE_LIMIT_PER_MINUTE');
    expect(out).toContain('PORT');
    expect(out).toContain('LOG_LEVEL');
  }, 30_000);

  it('when a worker account names an unknown exchange, then the worker exits 1 naming the account', async () => {
    const accounts = JSON.stringify([
      { id: 'main', exchange: 'binanse', apiKey: 'k-123456', secret: 's-123456' },
    ]);
    const worker = run('src/main/worker.ts', { WEBHOOK_TOKENS: 'life-token', ACCOUNTS: accounts });
    expect(await worker.exitCode).toBe(1);
    expect(worker.output()).toContain('account "main": "binanse" is neither a ccxt exchange id');
    expect(worker.output()).not.toContain('s-123456');
  }, 30_000);

  it('when the web process is loaded, then ccxt is not (the web never loads exchange code)', async () => {
    const probe = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        [
          "const loaded = () => Object.keys(require.cache).filter((k) => k.includes('node_modules/ccxt/')).length;",
          "require('./src/main/web-process'); const web = loaded();",
          "require('./src/main/worker-process'); console.log(JSON.stringify({ web, worker: loaded() }));",
        ].join(' '),
      ],
      { cwd: ROOT },
    );
    let out = '';
    probe.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => probe.on('exit', resolve));
    const counts = JSON.parse(out.trim().split('\n').pop() ?? 'null');
    expect(counts.web).toBe(0);
    expect(counts.worker).toBeGreaterThan(0); // the probe does see ccxt when it is loaded
  }, 30_000);

  it('when there is no way to authenticate, then the process refuses to start', async () => {
    const web = run('src/main/web.ts', { PORT: '0' });
    expect(await web.exitCode).toBe(1);
    expect(web.output()).toContain('WEBHOOK_SECRETS or WEBHOOK_TOKENS');
  }, 30_000);

  it('when npm run dev gets SIGTERM with an alert in flight, then it finishes the job and exits 0', async () => {
    const prefix = uniquePrefix('lifecycle');
    const dev = run('src/main/dev.ts', { PORT: '0', QUEUE_PREFIX: prefix, WEBHOOK_TOKENS: 'life-token' });
    try {
      const [, port] = await dev.waitFor(/"port":(\d+)/);
      const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token: 'life-token',
          timestamp: timenow(),
          symbol: 'BTCUSDT',
          action: 'buy',
          quantity: 0.001,
          price: 1000,
        }),
      });
      expect(res.status).toBe(202);
      dev.kill('SIGTERM');
      expect(await dev.exitCode).toBe(0);
      expect(dev.output()).toContain('"message":"stopped"');
      expect(dev.output()).toContain('"message":"signal finished"');
      expect(dev.output()).not.toContain('life-token');
    } finally {
      dev.kill('SIGKILL');
      await dropPrefix(prefix);
    }
  }, 40_000);
});
