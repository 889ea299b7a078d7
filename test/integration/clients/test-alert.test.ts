import { generateApiKey } from '../../../src/keys/key-material';
import { CliUsageError } from '../../../src/cli/cli-usage-error';
import { runTestAlertCli } from '../../../src/cli/test-alert-cli';
import { serverBaseOf } from '../../../src/cli/test-alert';
import { TEST_SECRET } from '../../support/sign';
import { type TestApp, startTestApp } from '../../support/test-app';

const ADMIN = generateApiKey();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp('test-alert', { ADMIN_API_KEY: ADMIN }, { worker: true });
  await app.web.core.bootstrapped;
});
afterAll(() => app.close());

/** Runs the CLI on the live app's webhook (`--url`) with the real fetch; returns its exit code and lines. */
async function cli(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const url = `${app.url}/webhook`;
  const code = await runTestAlertCli(['--url', url, ...argv], { fetch, out: (line) => out.push(line) });
  return { code, out };
}

describe('npm run test-alert', () => {
  it('when sent with a token, then the alert is queued and the token is never printed', async () => {
    const { code, out } = await cli('--token', 'test-token-1', '--price', '65000');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^POST .*\/webhook \(token\) → 202 \{"id":"sig_[0-9a-f]+","status":"queued"\}$/);
    expect(out.join('\n')).not.toContain('test-token-1');
  });

  it('when sent with a secret, then it is signed (Standard Webhooks) and queued', async () => {
    const { code, out } = await cli('--secret', TEST_SECRET, '--price', '65000');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/\(HMAC\) → 202/);
    expect(out.join('\n')).not.toContain(TEST_SECRET);
  });

  it('when the token is wrong, then it says so and exits 1', async () => {
    const { code, out } = await cli('--token', 'wrong-token-123');
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/→ 401[\s\S]*check the token\/secret/);
  });

  it('when this machine is not in IP_ALLOWLIST, then it says so and exits 1', async () => {
    const guarded = await startTestApp('test-alert-allowlist', { IP_ALLOWLIST: '192.0.2.1' });
    try {
      const out: string[] = [];
      const code = await runTestAlertCli(['--url', `${guarded.url}/webhook`, '--token', 'test-token-1'], {
        fetch,
        out: (line) => out.push(line),
      });
      expect(code).toBe(1);
      expect(out.join('\n')).toMatch(/→ 403[\s\S]*not in IP_ALLOWLIST/);
    } finally {
      await guarded.close();
    }
  });

  it('when the secret is wrong, then the signature is refused and it exits 1', async () => {
    const { code, out } = await cli('--secret', 'not-the-secret');
    expect(code).toBe(1);
    expect(out[0]).toMatch(/→ 401/);
  });

  it('when --dry-run is given without a key, then nothing is sent and the token is masked', async () => {
    const before = await app.redis.keys(`${app.prefix}:signal:*`);
    const { code, out } = await cli('--token', 'test-token-1', '--dry-run');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^dry run: would POST/);
    expect(out.join('\n')).not.toContain('test-token-1');
    expect(await app.redis.keys(`${app.prefix}:signal:*`)).toHaveLength(before.length);
  });

  it('when an API key is given, then it follows the signal to filled and prints the timeline', async () => {
    const { code, out } = await cli(
      '--token',
      'test-token-1',
      '--price',
      '65000',
      '--api-key',
      ADMIN,
      '--timeout',
      '15',
    );
    expect(out).toEqual(expect.arrayContaining(['status: filled', 'timeline:']));
    expect(out.join('\n')).toMatch(/received[\s\S]*queued[\s\S]*finished/);
    expect(out.join('\n')).toMatch(/order: buy 0\.001 → filled 0\.001 at 65000/);
    expect(code).toBe(0);
  });

  it('when the worker cannot trade the alert (no price yet), then it prints the error and exits 1', async () => {
    const { code, out } = await cli(
      '--token',
      'test-token-1',
      '--symbol',
      'NOPE/USDT',
      '--api-key',
      ADMIN,
      '--timeout',
      '15',
    );
    expect(out).toContain('status: failed');
    expect(out.at(-1)).toMatch(/^error: price_required: /);
    expect(code).toBe(1);
  });

  it.each([
    [['--token', 'x'], /--url/],
    [['--url', 'ftp://x/webhook', '--token', 'x'], /--url/],
    [['--url', 'http://x/webhook'], /exactly one of --token and --secret/],
    [['--url', 'http://x/webhook', '--token', 'a', '--secret', 'b'], /exactly one/],
    [['--url', 'http://x/webhook', '--token', 'a', '--timeout', 'soon'], /--timeout/],
  ])('when called with %j, then it refuses with a usage error', async (argv, message) => {
    await expect(runTestAlertCli(argv, { fetch, out: () => undefined })).rejects.toThrow(CliUsageError);
    await expect(runTestAlertCli(argv, { fetch, out: () => undefined })).rejects.toThrow(message);
  });

  it('when the URL carries a path token, then the API is found at the server root', () => {
    expect(serverBaseOf('https://my-app.herokuapp.com/webhook')).toBe('https://my-app.herokuapp.com');
    expect(serverBaseOf('https://my-app.herokuapp.com/webhook/abc12345')).toBe(
      'https://my-app.herokuapp.com',
    );
    expect(serverBaseOf('http://localhost:3000/tradehook/webhook/')).toBe('http://localhost:3000/tradehook');
  });
});
