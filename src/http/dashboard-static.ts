import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, Router } from 'express';

/** Where the dashboard is served. */
export const DASHBOARD_PATH = '/dashboard';

/**
 * Strict for the single-page app: its own scripts, styles, images and API only, never framed. uPlot and
 * Preact set styles through the DOM (allowed); nothing inline is needed.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The built dashboard (`npm run build:dashboard` → `dist/dashboard`): next to the compiled `dist/http`, or
 * under `dist/` when the server runs from `src/` (dev, tests).
 */
function findBuild(): string | undefined {
  const candidates = [join(__dirname, '..', 'dashboard'), join(__dirname, '..', '..', 'dist', 'dashboard')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * `/dashboard`: static files with immutable hashed assets, `index.html` never cached, and every other
 * path answered with `index.html` (the app routes in the browser). Mounted after the webhook, and the
 * build is located on the first dashboard request only: alerts never pay for it.
 */
export function dashboardRouter(options: { dir?: string } = {}): Router {
  const router = Router();
  let handler: Router | null | undefined;

  const build = (): Router | null => {
    const dir = options.dir ?? findBuild();
    if (!dir || !existsSync(join(dir, 'index.html'))) return null;
    const inner = Router();
    const sendIndex = (_req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(dir, 'index.html'));
    };
    inner.get('/', sendIndex);
    inner.get('/index.html', sendIndex);
    inner.use(
      '/assets',
      express.static(join(dir, 'assets'), {
        immutable: true,
        maxAge: '365d',
        index: false,
        fallthrough: false,
      }),
    );
    inner.use(express.static(dir, { index: false, maxAge: '1h' }));
    inner.get('/{*path}', sendIndex);
    return inner;
  };

  router.use(DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.originalUrl === DASHBOARD_PATH) return res.redirect(301, `${DASHBOARD_PATH}/`);
    if (handler === undefined || handler === null) handler = build();
    if (!handler) {
      res.status(503).json({
        error: 'unavailable',
        message: 'the dashboard is not built on this server: run `npm run build`',
      });
      return;
    }
    handler(req, res, next);
  });
  return router;
}
