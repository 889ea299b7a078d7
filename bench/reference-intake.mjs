// The burst benchmark's yardsticks (issue 7): raw Node http, the body read into one buffer, a constant-time
// token check, a fresh timestamp, the nonce claimed in Redis, the alert added to BullMQ before the 202.
// Env: PORT, REDIS_URL, QUEUE_PREFIX, WEBHOOK_TOKENS (first one used), REFERENCE_STEPS:
//  - `minimal` (default), the issue's minimal correct intake: the nonce claimed with SET NX; no rate limit,
//    schema, history record, log line or metric.
//  - `contract`, the same code plus the steps docs/contract.md requires and the minimal intake skips, each
//    done by tradehook's own function for that step (from dist/, built by the benchmark) or the cheapest way:
//    the rate limit and the nonce claim in one script (Admission), the alert validated (parseAlert), the
//    signal record written (SignalStore.recordQueued), one JSON log line, one counter. No framework, no
//    layers: what is left between it and tradehook is tradehook's own overhead around the same steps.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { URL } from 'node:url';
import process from 'node:process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const prefix = process.env.QUEUE_PREFIX;
const contract = process.env.REFERENCE_STEPS === 'contract';
const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
const queueRedis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
const queue = new Queue('reference', { connection: queueRedis, prefix });
const expected = createHash('sha256').update(process.env.WEBHOOK_TOKENS.split(',')[0]).digest();

const steps = contract ? await contractSteps() : undefined;

const answer = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/health') return answer(res, 200, { status: 'ok' });
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= 16384) chunks.push(c);
  });
  req.on('end', async () => {
    if (size > 16384) return answer(res, 413, { error: 'payload_too_large' });
    const raw = Buffer.concat(chunks);
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(res, 400, { error: 'invalid_json' });
    }
    const token = createHash('sha256')
      .update(String(body.token ?? ''))
      .digest();
    if (!timingSafeEqual(token, expected)) return answer(res, 401, { error: 'unauthorized' });
    if (Math.abs(Date.parse(body.timestamp) - Date.now()) > 300_000)
      return answer(res, 401, { error: 'unauthorized' });
    const id = createHash('sha256').update(`id:${body.id}`).digest('hex').slice(0, 24);
    try {
      if (steps) return await steps.accept(res, req, body, id);
      const claimed = await redis.set(`${prefix}:nonce:${id}`, '1', 'PX', 660_000, 'NX');
      if (claimed === null) return answer(res, 200, { id, status: 'duplicate' });
      await queue.add('signal', body, { jobId: id, removeOnComplete: true });
      answer(res, 202, { id, status: 'queued' });
    } catch {
      answer(res, 503, { error: 'unavailable' });
    }
  });
});

async function contractSteps() {
  const dist = new URL('../dist/', import.meta.url);
  const [{ parseAlert }, { SignalStore }, { Admission }, { redisKeys }, { Counter }] = await Promise.all([
    import(new URL('signals/alert-schema.js', dist).href),
    import(new URL('history/signal-store.js', dist).href),
    import(new URL('intake/admission.js', dist).href),
    import(new URL('redis/keys.js', dist).href),
    import('prom-client'),
  ]);
  const keys = redisKeys(prefix);
  const history = new SignalStore(redis, keys, 30);
  // The rate limit (fixed window per client address) and the nonce claim in one script, as tradehook does.
  const admission = new Admission(redis, {
    rateKey: (client) => keys.rateLimit + client,
    nonceKey: keys.nonce,
    limit: 1e9,
    windowMs: 60_000,
    nonceTtlMs: 660_000,
  });
  const alerts = new Counter({ name: 'reference_alerts_total', help: 'alerts', labelNames: ['outcome'] });
  const log = (msg, fields) =>
    process.stdout.write(
      `${JSON.stringify({ level: 'info', msg, time: new Date().toISOString(), ...fields })}\n`,
    );
  return {
    async accept(res, req, body, id) {
      const requestId = randomUUID();
      const receivedAt = Date.now();
      const parsed = parseAlert(body, { defaultAccount: 'default', accounts: ['default'] });
      if (!parsed.ok) return answer(res, 400, { error: 'invalid_signal', issues: parsed.issues });
      const [rate, nonce] = await admission.admit(req.socket.remoteAddress, id, 'claim', receivedAt);
      if (rate.limited) return answer(res, 429, { error: 'rate_limited' });
      if (nonce?.state !== 'claimed') return answer(res, 200, { id, status: 'duplicate' });
      const signal = { id, alert: parsed.alert, auth: 'token', requestId, receivedAt };
      await queue.add('signal', signal, { jobId: id, removeOnComplete: true });
      await history.recordQueued(signal, Date.now());
      log('alert queued', { requestId, outcome: 'queued', signalId: id });
      alerts.inc({ outcome: 'queued' });
      answer(res, 202, { id, status: 'queued' });
    },
  };
}

server.listen(Number(process.env.PORT ?? 0), () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
