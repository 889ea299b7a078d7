import { type Page } from 'playwright-core';
import { type TestApp, startTestApp } from '../../support/test-app';
import { type BrowserSession, browserAvailable, ensureDashboardBuilt, launchBrowser } from './browser';

/** Playwright's own waits are bounded by these (they poll the page; no wall-clock sleeps). */
export const VISIBLE = { timeout: 30_000 };

/**
 * A browser suite: `describe` where chromium is installed, skipped (with the line `browserAvailable`
 * prints) where it is not; a page load in chromium wants more than jest's 5 s.
 */
export function browserSuite(name: string, body: () => void): void {
  const suite = browserAvailable() ? describe : describe.skip;
  jest.setTimeout(90_000);
  suite(name, body);
}

/** The built dashboard served by a web + worker on the paper exchange, and a browser to drive it. */
export interface DashboardRun {
  app: TestApp;
  browser: BrowserSession;
  page: Page;
  /** `/dashboard<path>` on this app. */
  url(path: string): string;
  /** Signs in with `key` through the sign-in page, landing on `next`. */
  signIn(key: string, next?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDashboard(name: string, env: Record<string, string> = {}): Promise<DashboardRun> {
  ensureDashboardBuilt();
  const app = await startTestApp(name, env, { worker: true });
  const browser = await launchBrowser().catch(async (e: unknown) => {
    await app.close();
    throw e;
  });
  const { page } = browser;
  const url = (path: string) => `${app.url}/dashboard${path}`;
  return {
    app,
    browser,
    page,
    url,
    async signIn(key, next = '/') {
      await page.goto(url(next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`));
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('whoami').waitFor(VISIBLE);
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}
