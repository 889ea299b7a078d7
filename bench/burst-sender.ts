import { Pool } from 'undici';
import { clockMs, sleep } from './engine-clock';

/** One alert of a burst: when it was sent and answered (shared clock, ms) and the status. */
export interface BurstAnswer {
  sentAt: number;
  answeredAt: number;
  status: number;
  signalId?: string;
}

/**
 * Sends `bodies` to `POST /webhook` spread evenly over `spreadMs`, over `connections` keep-alive connections
 * (opened beforehand, as a proxy or TradingView's senders hold them). Open loop: a slow answer does not
 * delay the next send. Resolves when every alert is answered.
 */
export async function sendBurst(options: {
  url: string;
  bodies: string[];
  connections: number;
  spreadMs: number;
}): Promise<{ answers: BurstAnswer[]; startedAt: number; endedAt: number }> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  try {
    // Open the connections first: the burst measures answers, not TCP handshakes.
    await Promise.all(
      Array.from({ length: options.connections }, () =>
        pool.request({ method: 'GET', path: '/health' }).then((r) => r.body.dump()),
      ),
    );
    const n = options.bodies.length;
    const answers: Promise<BurstAnswer>[] = [];
    const startedAt = clockMs();
    const tickMs = 5;
    let next = 0;
    while (next < n) {
      const due = Math.min(n, Math.ceil(((clockMs() - startedAt + tickMs) / options.spreadMs) * n));
      for (; next < due; next++) answers.push(send(pool, options.bodies[next]));
      await sleep(tickMs);
    }
    const all = await Promise.all(answers);
    return { answers: all, startedAt, endedAt: clockMs() };
  } finally {
    await pool.close();
  }
}

async function send(pool: Pool, body: string): Promise<BurstAnswer> {
  const sentAt = clockMs();
  try {
    const res = await pool.request({
      method: 'POST',
      path: '/webhook',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    const answeredAt = clockMs();
    let signalId: string | undefined;
    try {
      signalId = (JSON.parse(text) as { id?: string }).id;
    } catch {
      signalId = undefined;
    }
    return { sentAt, answeredAt, status: res.statusCode, signalId };
  } catch {
    return { sentAt, answeredAt: clockMs(), status: 0 };
  }
}
