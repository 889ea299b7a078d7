import { Router } from 'express';

/** One readiness check's result; `ok: false` makes `/ready` answer 503. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export type ReadinessProbe = () => Promise<ReadinessCheck[]>;

/** `GET /health` (the process is alive) and `GET /ready` (it can take alerts now). */
export function healthRoutes(probe: ReadinessProbe): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const checks = await probe();
    const ready = checks.every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  return router;
}
