import express from 'express';
import { type RunningServer, listen } from './http-server';

/**
 * The baseline: a bare Express 5 app that parses the same JSON body and answers the intake's 202, with no
 * check, no Redis and no logging. What the full intake costs is measured against this.
 */
export function startBareExpress(path = '/webhook'): Promise<RunningServer> {
  const app = express();
  app.post(path, express.json({ type: ['application/json', 'text/plain'], limit: '16kb' }), (req, res) => {
    res.status(202).json({ id: req.get('webhook-id'), status: 'queued' });
  });
  return listen(app);
}
