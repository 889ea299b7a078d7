import express, { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { type Redis } from 'ioredis';
import { type IntakeService } from '../intake/intake-service';
import { makeIpAllowlist } from '../intake/ip-allowlist';
import { type Logger } from '../observability/logger';
import { RedisRateLimitStore } from './redis-rate-limit-store';

export interface WebhookRouteOptions {
  intake: IntakeService;
  redis: Redis;
  logger: Logger;
  ipAllowlist: string[];
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  rateLimitPrefix: string;
  /** Observes each answered alert (metrics); must be cheap, it runs on the hot path. */
  onAlert?: (observation: { outcome: string; reason?: string }) => void;
}

/**
 * `POST /webhook` and `POST /webhook/:token`: IP allowlist (1), rate limit (2), body limit (3), then the
 * intake use case (3-8). The route only adapts HTTP to {@link IntakeService}.
 */
export function webhookRoutes(options: WebhookRouteOptions): Router {
  const router = Router();
  const allowed = makeIpAllowlist(options.ipAllowlist);

  const ipGuard: express.RequestHandler = (req, res, next) => {
    if (allowed(req.ip)) return next();
    options.logger.warn('alert refused', {
      requestId: req.requestId,
      outcome: 'forbidden',
      reason: 'ip_not_allowed',
      ip: req.ip,
    });
    options.onAlert?.({ outcome: 'forbidden', reason: 'ip_not_allowed' });
    res.status(403).json({ error: 'forbidden', message: 'this address may not send alerts' });
  };

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: options.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // IPv4 clients arrive as ::ffff:a.b.c.d on a dual-stack socket: key them as IPv4 (cheaper, and one key
    // per client whichever way it connects); real IPv6 is keyed by its /56 as express-rate-limit advises.
    keyGenerator: (req) => {
      const ip = req.ip ?? '';
      return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ipKeyGenerator(ip);
    },
    store: new RedisRateLimitStore(options.redis, options.rateLimitPrefix, (error) =>
      options.logger.warn('rate limit not counted: Redis unavailable', { error: error.message }),
    ),
    validate: { trustProxy: false, xForwardedForHeader: false },
    handler: (req, res) => {
      options.logger.warn('alert refused', { requestId: req.requestId, outcome: 'rate_limited', ip: req.ip });
      options.onAlert?.({ outcome: 'rate_limited' });
      res
        .status(429)
        .json({ error: 'rate_limited', message: 'too many alerts from this address; slow down' });
    },
  });

  const rawBody = express.raw({ type: () => true, limit: options.bodyLimitBytes });

  const handler: express.RequestHandler = async (req, res) => {
    const header = (name: string) => req.get(name);
    const result = await options.intake.handle({
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      contentType: header('content-type'),
      headers: {
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
      },
      pathToken: typeof req.params.token === 'string' ? req.params.token : undefined,
      requestId: req.requestId,
    });
    options.onAlert?.(result);
    res.status(result.status).json(result.body);
  };

  router.post(['/webhook', '/webhook/:token'], ipGuard, limiter, rawBody, handler);
  return router;
}
