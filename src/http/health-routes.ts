import { Router } from 'express';

/** One readiness check's result. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  /** A failed critical check means alerts cannot be taken: `/ready` answers 503. Others only degrade. */
  critical: boolean;
  detail?: string;
}

export type ReadinessProbe = () => Promise<ReadinessCheck[]>;

/**
 * `GET /health` (the process is alive) and `GET /ready`: 503 only when a critical check fails (alerts cannot
 * be queued); a failed non-critical check answers 200 with `status: "degraded"` and says why.
 */
export function healthRoutes(probe: ReadinessProbe): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const checks = await probe();
    const status = checks.some((c) => c.critical && !c.ok)
      ? 'unavailable'
      : checks.some((c) => !c.ok)
        ? 'degraded'
        : 'ready';
    res.status(status === 'unavailable' ? 503 : 200).json({ status, checks });
  });
  return router;
}
