// A minimal correct intake, the burst benchmark's yardstick (issue 7): raw Node http, the body read into one
// buffer, a constant-time token check, a fresh timestamp, the nonce claimed with SET NX, the alert added to
// BullMQ before the 202. No allowlist, rate limit, schema, history record, logging or metrics.
// Env: PORT, REDIS_URL, QUEUE_PREFIX, WEBHOOK_TOKENS (first one used).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const prefix = process.env.QUEUE_PREFIX;
const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
const queueRedis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
const queue = new Queue('reference', { connection: queueRedis, prefix });
const expected = createHash('sha256').update(process.env.WEBHOOK_TOKENS.split(',')[0]).digest();

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
      const claimed = await redis.set(`${prefix}:nonce:${id}`, '1', 'PX', 660_000, 'NX');
      if (claimed === null) return answer(res, 200, { id, status: 'duplicate' });
      await queue.add('signal', body, { jobId: id, removeOnComplete: true });
      answer(res, 202, { id, status: 'queued' });
    } catch {
      answer(res, 503, { error: 'unavailable' });
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
