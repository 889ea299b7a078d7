import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { issueKey } from '../support/api-keys';
import { type TestApp, countSignalJobs } from '../support/test-app';
import { seriousA11yViolations } from './support/axe';
import { type BrowserSession, SCREENSHOTS } from './support/browser';
import { type DashboardRun, VISIBLE, browserSuite, startDashboard } from './support/dashboard-run';

browserSuite('dashboard dry run in a real browser (chromium, web + worker on the paper exchange)', () => {
  let run: DashboardRun;
  let app: TestApp;
  let b: BrowserSession;
  let page: Page;

  const paste = async (alert: string) => {
    await page.getByLabel('Alert message (JSON, as in the TradingView alert)').fill(alert);
    await page.getByRole('button', { name: 'Validate and plan' }).click();
  };

  beforeAll(async () => {
    run = await startDashboard('e2e-dry-run');
    ({ app, browser: b, page } = run);
    const trader = await issueKey(app.redis, app.prefix, 'trader');
    await run.signIn(trader.key, '/dry-run');
    await page.getByRole('button', { name: 'Validate and plan' }).waitFor(VISIBLE);
  });
  afterAll(() => run?.close());

  it('when a trader pastes an alert, then the intents it would send are shown as a table, and nothing is queued', async () => {
    const jobs = await countSignalJobs(app.redis, app.prefix);
    await paste(
      JSON.stringify({
        symbol: 'BINANCE:BTCUSDT',
        action: 'buy',
        quantity: '0.0123456789',
        price: '{{close}}',
      }),
    );
    // A placeholder left in: the webhook's validation answers it, per field.
    const issues = page.getByTestId('dry-run-issues');
    await issues.waitFor(VISIBLE);
    expect(await issues.locator('tbody tr td').first().textContent()).toBe('price');

    await paste(
      JSON.stringify({ symbol: 'BINANCE:BTCUSDT', action: 'buy', quantity: '0.0123456789', price: '50000' }),
    );
    const result = page.getByTestId('dry-run-result');
    await result.waitFor(VISIBLE);
    expect(await result.locator('h2').textContent()).toBe('Would place');
    const cells = await page
      .getByTestId('dry-run-intents')
      .locator('tbody tr')
      .first()
      .locator('td')
      .allTextContents();
    expect(cells.slice(0, 4)).toEqual([
      'open',
      'buy',
      'market',
      (0.01234567).toLocaleString(undefined, { maximumFractionDigits: 10 }),
    ]);
    // Est. fee: the paper exchange's 0.1 % of the estimated cost.
    expect(cells[7]).toBe(`${(0.6172835).toLocaleString(undefined, { maximumFractionDigits: 10 })} USDT`);
    expect(await page.getByTestId('dry-run-issues').count()).toBe(0);
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(jobs);
    expect(await app.redis.keys(`${app.prefix}:signal:*`)).toEqual([]);

    await page.screenshot({ path: join(SCREENSHOTS, 'dry-run.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(b.problems).toEqual([]);
  });

  it('when the orders cost more than the balance, then the refusal is shown with its numbers', async () => {
    await paste(JSON.stringify({ symbol: 'BTCUSDT', action: 'buy', quantity: '1000', price: '50000' }));
    const refusal = page.getByTestId('dry-run-refusal');
    await refusal.waitFor(VISIBLE);
    expect(await refusal.textContent()).toMatch(
      // 50 000 000 USDT and the paper exchange's 0.1 % fee on top.
      /^insufficient_balance: the orders need 50050000 USDT \(50000 of it fees\), [\d.]+ USDT is free/,
    );
    expect(await page.getByTestId('dry-run-result').locator('h2').textContent()).toBe('Would be refused');
  });
});
