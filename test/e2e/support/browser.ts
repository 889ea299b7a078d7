import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');

/**
 * Whether browser tests run here. Without chromium they skip with one printed line, unless
 * `REQUIRE_BROWSER_TESTS=1` (CI), where a missing browser is a failure.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER_TESTS === '1')
    throw new Error(`REQUIRE_BROWSER_TESTS=1 but ${CHROMIUM} is missing (apt-get install -y chromium)`);
  process.stdout.write(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)\n`);
  return false;
}

/** The dashboard must be built (`npm run build:dashboard`); built here once when it is not. */
export function ensureDashboardBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'dashboard', 'index.html'))) return;
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(ROOT, 'dashboard', 'vite.config.mts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** CSP violations and uncaught page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Debian's chromium through playwright-core: headless, no sandbox (tests run as root), a fresh profile
 * (`--user-data-dir` of its own, deleted after), no background traffic.
 */
export async function launchBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'th-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
