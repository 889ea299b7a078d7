import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { issueKey } from '../support/api-keys';
import { type TestApp, eventually, timenow } from '../support/test-app';
import { seriousA11yViolations } from './support/axe';
import { type Receiver, startReceiver } from './support/receiver';
import { type BrowserSession, SCREENSHOTS } from './support/browser';
import { type DashboardRun, VISIBLE, browserSuite, startDashboard } from './support/dashboard-run';

const TOKEN = 'dashboard-e2e-token';

browserSuite('dashboard in a real browser (chromium, web + worker on the paper exchange)', () => {
  let run: DashboardRun;
  let app: TestApp;
  let b: BrowserSession;
  let page: Page;
  let receiver: Receiver;
  let admin: { id: string; key: string };
  let viewer: { id: string; key: string };
  let trader: { id: string; key: string };
  const seen: string[] = [];

  const url = (path: string) => run.url(path);
  const shot = async (name: string) => {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const a11y = async (name: string) => {
    const violations = await seriousA11yViolations(page);
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  };
  const signIn = (key: string, next?: string) => run.signIn(key, next);
  /** The pages with their own link, each opened and settled. */
  const PAGES = [
    '/',
    '/signals',
    '/dead-letter',
    '/quality',
    '/accounts',
    '/subscriptions',
    '/dry-run',
    '/keys',
  ];
  const openPage = async (path: string) => {
    await page.goto(url(path));
    await page.locator('main h1').first().waitFor(VISIBLE);
    await page.waitForLoadState('networkidle');
  };
  const signOut = async () => {
    await page.getByTestId('sign-out').click();
    await page.getByLabel('API key').waitFor(VISIBLE);
  };
  /** Whether this server has a route (a feature merged later answers 404 "no route" until then). */
  const sendAlert = async (fields: Record<string, unknown> = {}) => {
    const res = await fetch(`${app.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      // Its own id: two alerts with the same body in the same second are one alert (nonce = body hash).
      body: JSON.stringify({
        token: TOKEN,
        id: `dashboard-e2e-${randomUUID()}`,
        timestamp: timenow(),
        symbol: 'BINANCE:BTCUSDT',
        action: 'buy',
        quantity: '0.01',
        price: '50000',
        ...fields,
      }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const hasRoute = async (path: string, key = admin.key) => {
    const res = await fetch(`${app.url}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    const body = res.status === 404 ? ((await res.json()) as { message?: string }) : {};
    return !(res.status === 404 && body.message?.startsWith('no route'));
  };

  beforeAll(async () => {
    run = await startDashboard('dashboard-e2e', {
      WEBHOOK_TOKENS: TOKEN,
      PAPER_BALANCES: 'USDT:100000,BTC:1',
      ALLOW_INSECURE_WEBHOOK_URLS: 'true',
    });
    ({ app, browser: b, page } = run);
    admin = await issueKey(app.redis, app.prefix, 'admin', { name: 'e2e admin' });
    viewer = await issueKey(app.redis, app.prefix, 'viewer', { name: 'e2e viewer' });
    trader = await issueKey(app.redis, app.prefix, 'trader', { name: 'e2e trader' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await run?.close();
    await receiver?.close();
  });
  afterEach(() => {
    // No page may break the CSP or throw: collected across every test.
    expect(b.problems).toEqual([]);
    seen.length = 0;
  });

  it('when not signed in, then any page redirects to sign-in, which leads back after signing in', async () => {
    await page.goto(url('/signals'));
    await page.getByLabel('API key').waitFor(VISIBLE);
    // The SPA may render the form before it replaces the URL: wait for the address, then check it.
    await page.waitForURL((u) => u.pathname === '/dashboard/signin');
    expect(new URL(page.url()).pathname).toBe('/dashboard/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/signals');
    await a11y('sign-in');
    await shot('sign-in');

    await page.getByLabel('API key').fill('th_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('that key is not valid').waitFor(VISIBLE);

    await page.getByLabel('API key').fill(admin.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('whoami').waitFor(VISIBLE);
    expect(new URL(page.url()).pathname).toBe('/dashboard/signals');
    expect(await page.getByTestId('whoami').textContent()).toContain('admin');

    // The key went into a cookie the page cannot read, and nowhere else in the browser.
    const cookies = await b.context.cookies();
    const session = cookies.find((c) => c.name === 'th_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie',
    );
    expect(stored).not.toContain(admin.key);
    expect(stored).not.toContain('th_session');

    await signOut();
    await page.goto(url('/'));
    await page.getByLabel('API key').waitFor(VISIBLE);
  });

  it('when an admin creates a key, then the raw key is shown once with a copy button, and revoking it stops it', async () => {
    await signIn(admin.key, '/keys');
    await page.getByLabel('Name').fill('made in the browser');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor(VISIBLE);
    const raw = (await secret.textContent())!.trim();
    expect(raw).toMatch(/^th_/);
    await page.getByTestId('one-time-secret').getByRole('button', { name: 'Copy' }).waitFor(VISIBLE);
    await a11y('keys');
    await shot('keys');

    // The new key works (sign-in through the API)...
    const signInWith = (k: string) =>
      fetch(`${app.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey: k }),
      });
    expect((await signInWith(raw)).status).toBe(204);

    // ...and is never shown again: not after "Done", not after a reload.
    await page.getByTestId('one-time-secret').getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(raw);
    await page.reload();
    const row = page.locator('tr', { hasText: 'made in the browser' });
    await row.waitFor(VISIBLE);
    expect(await page.content()).not.toContain(raw);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('revoked').waitFor(VISIBLE);
    expect((await signInWith(raw)).status).toBe(401);
    await signOut();
  });

  it('when a viewer signs in, then no page shows a write control', async () => {
    await signIn(viewer.key);
    expect(await page.getByTestId('whoami').textContent()).toContain('viewer');
    // Admin-only navigation is absent.
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    const writeButtons =
      /^(Pause|Resume|Pause all|Resume all|Flatten|Retry|Acknowledge|Revoke|Create key|New subscription|Send test event|Rotate secret|Delete|Validate and plan|Replay)$/;
    for (const path of PAGES) {
      await openPage(path);
      const labels = await page.locator('main button').allTextContents();
      expect({ path, writes: labels.filter((l) => writeButtons.test(l.trim())) }).toEqual({
        path,
        writes: [],
      });
    }
    await signOut();

    // The same pages do show them to a trader (so the check above can fail).
    await signIn(trader.key, '/dry-run');
    await page.getByRole('button', { name: 'Validate and plan' }).waitFor(VISIBLE);
    await signOut();
  });

  it('when an alert arrives through the webhook while the signals page is open, then it appears and turns filled live (no reload), and its timeline opens', async () => {
    await signIn(trader.key, '/signals');
    await page.getByTestId('live-state').getByText('live').waitFor(VISIBLE);
    const id = await sendAlert();
    const row = page.locator(`tr[data-signal-id="${id}"]`);
    await row.waitFor(VISIBLE);
    await page.locator(`tr[data-signal-id="${id}"][data-status="filled"]`).waitFor(VISIBLE);
    await a11y('signals');
    await shot('signals');

    await row.getByRole('link').click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor(VISIBLE);
    await timeline.getByText('filled').first().waitFor(VISIBLE);
    expect(await timeline.textContent()).toContain('order_sent');
    await page.getByRole('cell', { name: 'closed' }).first().waitFor(VISIBLE);
    await a11y('signal');
    await shot('signal');
    await signOut();
  });

  /** A signal's status as the API tells it, once it is `status`. */
  const statusBecomes = (id: string, status: string) =>
    eventually(async () => {
      const res = await fetch(`${app.url}/api/v1/signals/${id}`, {
        headers: { authorization: `Bearer ${admin.key}` },
      });
      const body = (await res.json()) as { status?: string; attempts?: number };
      return body.status === status ? body : undefined;
    }, 15_000);

  it('when a signal fails, then a trader retries it from its page and acknowledges it in the dead letter with a note', async () => {
    // A market buy at 50,000 gives the offline paper exchange its price; a post-only buy above it would match
    // at once, so the exchange refuses it: a permanent exchange error, the signal `failed`.
    await statusBecomes(await sendAlert(), 'filled');
    const id = await sendAlert({ type: 'limit', price: '60000', postOnly: true });
    await statusBecomes(id, 'failed');

    await signIn(trader.key, `/signals/${id}`);
    await page.getByTestId('reason').getByText('post_only_rejected').waitFor(VISIBLE);
    expect(await page.locator('main').textContent()).toContain('attempts 1');
    await page.getByTestId('retry').click();
    // The retry runs the signal again (and the exchange refuses it again): a second attempt, failed.
    await eventually(async () => {
      const body = await statusBecomes(id, 'failed');
      return (body.attempts ?? 0) >= 2 ? body : undefined;
    }, 15_000);
    await page.reload();
    await page.getByTestId('reason').waitFor(VISIBLE);
    expect(await page.locator('main').textContent()).toContain('attempts 2');

    await openPage('/dead-letter');
    const note = page.getByLabel(`note for ${id}`);
    await note.fill('checked by the e2e test');
    await page.locator('tr', { has: note }).getByRole('button', { name: 'Acknowledge' }).click();
    await note.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Acknowledged' }).click();
    await page.getByText('checked by the e2e test').waitFor(VISIBLE);
    await a11y('dead-letter acknowledged');
    await signOut();
  });

  it('when a trader pauses an account from the overview, then a new alert is rejected with paused', async () => {
    if (!(await hasRoute('/accounts')) || !(await hasRoute('/signals'))) {
      process.stdout.write(
        'pause browser test skipped: GET /api/v1/accounts or /signals not on this server yet\n',
      );
      return;
    }
    await signIn(trader.key);
    await page.getByTestId('pause-default').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, pause' }).click();
    await page.getByTestId('resume-default').waitFor(VISIBLE);
    const id = await sendAlert();
    await page.goto(url(`/signals/${id}`));
    await page.getByTestId('reason').getByText('paused').waitFor(VISIBLE);
    await shot('signal-paused');
    await page.goto(url('/'));
    await page.getByTestId('resume-default').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, resume' }).click();
    await page.getByTestId('pause-default').waitFor(VISIBLE);
    await signOut();
  });

  it('when a trader subscribes a local receiver, sends a test event, rotates the secret and replays, then each reaches the receiver signed as documented', async () => {
    if (!(await hasRoute('/subscriptions')) || !(await hasRoute('/deliveries'))) {
      process.stdout.write(
        'subscription browser test skipped: /api/v1/subscriptions or /deliveries not on this server yet\n',
      );
      return;
    }
    await signIn(trader.key, '/subscriptions');
    await page.getByRole('button', { name: 'New subscription' }).click();
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Description').fill('browser receiver');
    await page.getByRole('button', { name: 'Create subscription' }).click();
    const secret = (await page.getByTestId('secret-value').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(8);
    await page.getByRole('link', { name: 'browser receiver' }).click();
    await page.getByTestId('send-test').click();
    await page.getByTestId('test-result').waitFor(VISIBLE);
    expect(receiver.received.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('tr[data-event="ping"]').first().waitFor(VISIBLE);
    await a11y('deliveries');
    await shot('deliveries');
    // The secret was shown once: the page now shows it masked only.
    expect(await page.content()).not.toContain(secret);

    // Rotate the secret: the new one is shown once, and the next delivery is signed with it and, for the 24 h
    // a receiver has to switch, with the old one too (two signatures in one header).
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, rotate secret' }).click();
    const rotated = (await page.getByTestId('secret-value').textContent())!.trim();
    expect(rotated).not.toBe(secret);
    const before = receiver.received.length;
    await page.getByTestId('send-test').click();
    await eventually(async () => (receiver.received.length > before ? true : undefined), 10_000);
    const signed = receiver.received[receiver.received.length - 1];
    expect(() => new Webhook(rotated).verify(signed.body, signed.headers)).not.toThrow();
    expect(() => new Webhook(secret).verify(signed.body, signed.headers)).not.toThrow();
    expect(signed.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another secret').toString('base64')}`).verify(
        signed.body,
        signed.headers,
      ),
    ).toThrow();

    // Replay: a fill delivered live is delivered again (a new delivery of the same event) after "Replay".
    type Event = { id: string; type: string; data?: { id?: string } };
    const events = () => receiver.received.map((r) => JSON.parse(r.body) as Event);
    const filledId = await sendAlert();
    await statusBecomes(filledId, 'filled');
    const live = await eventually(
      async () => events().find((e) => e.type === 'signal.filled' && e.data?.id === filledId),
      15_000,
    );
    const sinceMinuteAgo = new Date(Date.now() - 60_000 - new Date().getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16);
    const replay = page.getByRole('form', { name: 'replay' });
    await replay.getByLabel(/Replay events since/).fill(sinceMinuteAgo);
    await replay.getByRole('button', { name: 'Replay' }).click();
    await replay.getByTestId('replay-result').waitFor(VISIBLE);
    expect(await replay.getByTestId('replay-result').textContent()).toMatch(/^\d+ deliver(y|ies) queued$/);
    await eventually(
      async () => (events().filter((e) => e.id === live.id).length >= 2 ? true : undefined),
      15_000,
    );
    await signOut();
  });

  it('when a trader flattens the paper account from the accounts page, then its resting order is canceled', async () => {
    // A market buy at 50,000 gives the offline paper exchange its price; a limit buy at 40,000 rests.
    await statusBecomes(await sendAlert(), 'filled');
    const resting = await sendAlert({ type: 'limit', price: '40000' });
    await statusBecomes(resting, 'placed');

    await signIn(trader.key, '/accounts');
    await page.getByTestId('flatten-default').click();
    const answered = page.waitForResponse((r) => r.url().endsWith('/accounts/default/flatten'));
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, flatten' }).click();
    const { id } = (await (await answered).json()) as { id: string };
    await statusBecomes(id, 'done');

    await page.goto(url(`/signals/${id}`));
    await page.getByText(/flatten: canceling 1 open order/).waitFor(VISIBLE);
    const book = JSON.parse((await app.redis.hget(`${app.prefix}:paper:default:book`, 'book')) ?? '{}');
    expect(book.open).toEqual({});
    await signOut();
  });

  it('when used by keyboard only, then one signs in, the skip link comes first and every page link is reached with a visible focus ring', async () => {
    const focused = () =>
      page.evaluate<{ text: string; outline: string }>(
        '(() => { const e = document.activeElement; return { text: (e.textContent || "").trim(), outline: getComputedStyle(e).outlineStyle }; })()',
      );
    await page.goto(url('/signin'));
    await page.getByLabel('API key').waitFor(VISIBLE);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.key);
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').waitFor(VISIBLE);
    const reached: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      const { text, outline } = await focused();
      expect({ text, outline: outline === 'none' ? 'none' : 'visible' }).toEqual({
        text,
        outline: 'visible',
      });
      reached.push(text);
    }
    expect(reached[0]).toBe('Skip to content');
    expect(reached).toEqual(
      expect.arrayContaining([
        'Overview',
        'Signals',
        'Dead letter',
        'Execution quality',
        'Accounts',
        'Subscriptions',
        'Dry run',
        'API keys',
      ]),
    );
    await signOut();
  });

  it('when each page is opened on a phone-sized screen, then none scrolls sideways (wide tables scroll in their own box)', async () => {
    await signIn(admin.key);
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      for (const path of PAGES) {
        await openPage(path);
        // The keys table always has rows here (the suite's three keys): the widest table of the app.
        if (path === '/keys')
          await page.getByTestId('keys-table').locator('tbody tr').first().waitFor(VISIBLE);
        const width = await page.evaluate<number>('document.documentElement.scrollWidth');
        expect({ path, width }).toEqual({ path, width: 375 });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await signOut();
  });

  it('when every page is opened as an admin after an alert filled, then each renders with the run’s statistics and no serious a11y violation', async () => {
    const id = await sendAlert();
    await eventually(async () => {
      const res = await fetch(`${app.url}/api/v1/signals/${id}`, {
        headers: { authorization: `Bearer ${admin.key}` },
      });
      return ((await res.json()) as { status?: string }).status === 'filled' ? true : undefined;
    }, 30_000);
    await signIn(admin.key);
    for (const [name, path] of [
      ['overview', '/'],
      ['dead-letter', '/dead-letter'],
      ['quality', '/quality'],
      ['accounts', '/accounts'],
      ['subscriptions', '/subscriptions'],
      ['dry-run', '/dry-run'],
    ] as const) {
      await page.goto(url(path));
      await page.locator('main h1').first().waitFor(VISIBLE);
      await page.waitForLoadState('networkidle');
      if (name === 'overview') {
        // The statistics of this run's alert (filled on the paper exchange at its price): counted live.
        await page.getByTestId('summary-filled').waitFor(VISIBLE);
        expect(Number(await page.getByTestId('summary-filled').textContent())).toBeGreaterThanOrEqual(1);
        expect(await page.getByTestId('summary-sent').textContent()).toMatch(/\d+(\.\d+)? ms \//);
        expect(await page.getByTestId('summary-slippage').textContent()).toMatch(/^0 bps/);
        // `SAVE_README_SCREENSHOT=1` regenerates the README's picture from this page with real data.
        if (process.env.SAVE_README_SCREENSHOT === '1') {
          await page.screenshot({ path: join(__dirname, '../../docs/img/overview.png') });
        }
      }
      if (name === 'quality') {
        await page.getByTestId('quality-group').first().waitFor(VISIBLE);
        expect(await page.getByTestId('quality-group').first().textContent()).toContain('BINANCE:BTCUSDT');
      }
      await a11y(name);
      await shot(name);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url('/'));
    await page.getByRole('button', { name: 'Menu' }).waitFor(VISIBLE);
    await shot('overview-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut();
  });
});
