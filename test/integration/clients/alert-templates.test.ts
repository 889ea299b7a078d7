import request from 'supertest';
import { ALERT_TEMPLATE_USAGE, runAlertTemplateCli } from '../../../src/cli/alert-template-cli';
import {
  MODES,
  RECIPES,
  TOKEN_REMINDER,
  placeholdersOf,
  renderTemplate,
} from '../../../src/cli/alert-templates';
import { CliUsageError } from '../../../src/cli/cli-usage-error';
import { SignalStore } from '../../../src/history/signal-store';
import { redisKeys } from '../../../src/redis/keys';
import { TEST_SECRET_ROTATED, signedHeaders } from '../../support/sign';
import { type TestApp, startTestApp, timenow } from '../../support/test-app';

let app: TestApp;
let store: SignalStore;
/** An account id as long as the schema allows (32). */
const LONG_ACCOUNT = 'long-account-name-for-perpetuals';

beforeAll(async () => {
  app = await startTestApp('alert-templates', {
    ACCOUNTS: JSON.stringify([
      { id: 'main', exchange: 'paper' },
      { id: 'perps', exchange: 'paper' },
      { id: LONG_ACCOUNT, exchange: 'paper' },
    ]),
  });
  store = new SignalStore(app.redis, redisKeys(app.prefix), 1);
});
afterAll(() => app.close());

let sequence = 0;

/** What TradingView substitutes: strings, as it renders them (`{{timenow}}` at second precision). */
function tradingViewValues(): Record<string, string> {
  sequence += 1;
  return {
    '{{ticker}}': 'BTCUSDT',
    '{{interval}}': '15',
    '{{close}}': '65012.5',
    '{{timenow}}': timenow(),
    '{{strategy.order.id}}': `Long Entry ${sequence}`,
    '{{strategy.order.action}}': 'buy',
    '{{strategy.order.contracts}}': '0.01',
    '{{strategy.position_size}}': '-0.02',
    '{{strategy.market_position}}': 'short',
    '{{strategy.prev_market_position}}': 'long',
  };
}

/** Fills a message as TradingView does: plain text substitution, then the body goes out as it is. */
function fill(message: string, values = tradingViewValues()): string {
  const unknown = placeholdersOf(message).filter((p) => !(p in values));
  expect(unknown).toEqual([]);
  return message.replace(/\{\{[^}]+\}\}/g, (p) => values[p]);
}

/** TradingView's content type: `application/json` exactly when the filled message parses as JSON. */
function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json; charset=utf-8';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}

const cases = MODES.flatMap((mode) => RECIPES.map((recipe) => ({ mode, recipe })));

describe('alert templates through the real intake', () => {
  it.each(cases)(
    'when the $recipe template ($mode mode) is filled in as TradingView would, then it is queued as meant',
    async ({ mode, recipe }) => {
      const template = renderTemplate({ mode, recipe, account: 'main', url: app.url, token: 'test-token-1' });
      expect(template.url).toBe(`${app.url}/webhook`);
      expect(placeholdersOf(template.message)).toEqual(expect.arrayContaining(['{{timenow}}', '{{ticker}}']));
      const body = fill(template.message);
      const headers =
        mode === 'hmac'
          ? signedHeaders(body, { secret: TEST_SECRET_ROTATED })
          : { 'content-type': contentTypeOf(body) };
      expect(headers['content-type']).toMatch(/^application\/json/);
      const res = await request(app.url).post(new URL(template.url).pathname).set(headers).send(body);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 202,
        body: { id: expect.stringMatching(/^sig_/), status: 'queued' },
      });
      const record = await store.get(res.body.id);
      expect(record?.alert).toMatchObject({ account: 'main', symbol: 'BTCUSDT', price: 65012.5 });
      expect(JSON.stringify(record)).not.toContain('test-token-1');
      const expected = {
        strategy: { action: 'buy', quantity: 0.01 },
        signal: { sentiment: 'long', quantity: 0.01 },
        'quote-entry': { action: 'buy', quantity: 100, quantityType: 'quote' },
        'close-all': { action: 'close' },
        target: { positionSize: -0.02, meta: { marketPosition: 'short', previousMarketPosition: 'long' } },
      }[recipe];
      expect(record?.alert).toMatchObject(expected);
    },
  );

  it('when the strategy recipe fires with the longest account and ticker and a long Pine order id, then it is queued', async () => {
    const { message } = renderTemplate({
      mode: 'token',
      recipe: 'strategy',
      account: LONG_ACCOUNT,
      token: 'test-token-1',
    });
    const values = {
      ...tradingViewValues(),
      '{{ticker}}': 'T'.repeat(64),
      '{{strategy.order.id}}': `Long entry after a confirmed breakout ${'x'.repeat(62)}`,
    };
    const body = fill(message, values);
    const id = (JSON.parse(body) as { id: string }).id;
    expect(id.length).toBeGreaterThan(200);
    const res = await request(app.url).post('/webhook').set('content-type', contentTypeOf(body)).send(body);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 202,
      body: { id: expect.stringMatching(/^sig_/), status: 'queued' },
    });
    expect((await store.get(res.body.id))?.alert).toMatchObject({
      account: LONG_ACCOUNT,
      idempotencyKey: id,
    });
  });

  it('when the same filled alert is delivered twice (a TradingView retry), then the second is a duplicate', async () => {
    const { message } = renderTemplate({
      mode: 'token',
      recipe: 'strategy',
      account: 'main',
      token: 'test-token-1',
    });
    const body = fill(message);
    const send = () => request(app.url).post('/webhook').set('content-type', contentTypeOf(body)).send(body);
    const first = await send();
    expect(first.status).toBe(202);
    expect((await send()).body).toEqual({ id: first.body.id, status: 'duplicate' });
  });

  it.each(['strategy', 'target'] as const)(
    'when the %s template fires on two charts and for two accounts in the same second, then each alert is queued',
    async (recipe) => {
      // One strategy on BTCUSDT and ETHUSDT (one alert per chart), each also copied to a second account:
      // the same order id at the same {{timenow}}, four alerts that must not be one another's duplicate.
      const at = { '{{timenow}}': timenow(), '{{strategy.order.id}}': `Long ${recipe}` };
      const ids = new Set<string>();
      for (const account of ['main', 'perps']) {
        const { message } = renderTemplate({ mode: 'token', recipe, account, token: 'test-token-1' });
        for (const ticker of ['BTCUSDT', 'ETHUSDT']) {
          const body = fill(message, { ...tradingViewValues(), ...at, '{{ticker}}': ticker });
          const res = await request(app.url)
            .post('/webhook')
            .set('content-type', contentTypeOf(body))
            .send(body);
          expect({ account, ticker, status: res.status, outcome: res.body.status }).toEqual({
            account,
            ticker,
            status: 202,
            outcome: 'queued',
          });
          ids.add(res.body.id);
        }
      }
      expect(ids.size).toBe(4);
    },
  );

  it('when a signal alert for each sentiment is filled in, then each is queued (flat needs no size)', async () => {
    for (const sentiment of ['long', 'short', 'flat'] as const) {
      const { message } = renderTemplate({
        mode: 'token',
        recipe: 'signal',
        account: 'perps',
        token: 'test-token-2',
        sentiment,
      });
      const body = fill(message, { ...tradingViewValues(), '{{ticker}}': 'BTCUSDT.P' });
      const res = await request(app.url).post('/webhook').set('content-type', contentTypeOf(body)).send(body);
      expect({ sentiment, status: res.status }).toEqual({ sentiment, status: 202 });
    }
  });

  it('when a user unquotes a placeholder and TradingView fills in a non-number, then text/plain is refused as not JSON', async () => {
    const { message } = renderTemplate({
      mode: 'token',
      recipe: 'strategy',
      account: 'main',
      token: 'test-token-1',
    });
    const broken = message.replace('"{{close}}"', '{{close}}');
    const body = fill(broken, { ...tradingViewValues(), '{{close}}': 'NaN' });
    expect(contentTypeOf(body)).toMatch(/^text\/plain/);
    const res = await request(app.url).post('/webhook').set('content-type', contentTypeOf(body)).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_json', message: expect.stringMatching(/JSON/) });
  });

  it('when the token was never pasted, then the reminder is refused: a forgotten token never trades', async () => {
    const { message, notes } = renderTemplate({ mode: 'token', recipe: 'close-all', account: 'main' });
    expect(message).toContain(TOKEN_REMINDER);
    expect(notes.join(' ')).toContain(TOKEN_REMINDER);
    const body = fill(message);
    const res = await request(app.url).post('/webhook').set('content-type', contentTypeOf(body)).send(body);
    expect(res.status).toBe(401);
  });

  it('when the message goes through the path-token URL instead, then the token may be left out', async () => {
    const { message } = renderTemplate({ mode: 'hmac', recipe: 'quote-entry', account: 'main' });
    // Another chart than the token-mode case above: the same bar in the same second would be its duplicate.
    const body = fill(message, { ...tradingViewValues(), '{{interval}}': '240' });
    const res = await request(app.url)
      .post('/webhook/test-token-2')
      .set('content-type', contentTypeOf(body))
      .send(body);
    expect(res.status).toBe(202);
  });
});

describe('npm run alert-template', () => {
  it('when called with a mode, recipe, account and URL, then it prints the URL and a message to paste', () => {
    const out = runAlertTemplateCli(
      [
        '--mode',
        'token',
        '--recipe',
        'strategy',
        '--account',
        'main',
        '--url',
        'https://my-app.herokuapp.com/',
      ],
      { WEBHOOK_TOKENS: 'first-token-123, second' },
    );
    expect(out).toContain('Webhook URL:\n  https://my-app.herokuapp.com/webhook');
    const message = out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1);
    expect(JSON.parse(message)).toEqual({
      token: 'first-token-123',
      timestamp: '{{timenow}}',
      id: 'main-{{ticker}}-{{strategy.order.id}}-{{timenow}}',
      account: 'main',
      symbol: '{{ticker}}',
      action: '{{strategy.order.action}}',
      quantity: '{{strategy.order.contracts}}',
      price: '{{close}}',
    });
  });

  it('when --json is given, then it prints the url, message and notes as JSON', () => {
    const out = JSON.parse(
      runAlertTemplateCli(['--mode', 'hmac', '--recipe', 'target', '--account', 'main', '--json'], {
        PORT: '8080',
      }),
    );
    expect(out.url).toBe('http://localhost:8080/webhook');
    expect(JSON.parse(out.message)).not.toHaveProperty('token');
    expect(out.notes.join(' ')).toMatch(/webhook-signature/);
  });

  it.each([
    [['--recipe', 'strategy', '--account', 'main'], /--mode must be one of: token, hmac/],
    [['--mode', 'token', '--recipe', 'scalp', '--account', 'main'], /--recipe must be one of/],
    [['--mode', 'token', '--recipe', 'strategy'], /--account is required/],
    [['--mode', 'token', '--recipe', 'signal', '--account', 'main', '--sentiment', 'up'], /--sentiment/],
    [['--mode', 'token', '--recipe', 'signal', '--account', 'main', '--quantity', 'lots'], /--quantity/],
  ])('when called with %j, then it refuses with a usage error', (argv, message) => {
    expect(() => runAlertTemplateCli(argv)).toThrow(CliUsageError);
    expect(() => runAlertTemplateCli(argv)).toThrow(message);
  });

  it('when an unknown option is given, then parsing refuses it', () => {
    expect(() => runAlertTemplateCli(['--mode', 'token', '--recipie', 'strategy'])).toThrow(/recipie/);
    expect(ALERT_TEMPLATE_USAGE).toContain('--recipe strategy');
  });
});
